/**
 * Today as the server counts business dates (YYYY-MM-DD): in the organization's time zone,
 * Asia/Shanghai, whatever the browser's clock zone. A browser elsewhere (or a test runner on
 * UTC) would otherwise propose yesterday's or tomorrow's date between midnight there and here.
 */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
}
