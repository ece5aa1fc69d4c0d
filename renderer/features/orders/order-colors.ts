/** Order line colours (piker: buy green, sell red, alert yellow); styles.css repeats them for the DOM handles. */
export const ORDER_COLORS = {
  buy: '#2ecc71',
  sell: '#ff4d5e',
  alert: '#f5c542',
  position: '#6fa8ff',
} as const;
