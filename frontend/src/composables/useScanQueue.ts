/**
 * Scans handled one after the other, in the order they came: a scanner is faster than the
 * server. A scan also waits for the loading the page said it depends on (the document's lines,
 * the orders just added), so a scan made while the page opens fills the line it was meant for
 * instead of being told the product is not on the document.
 *
 * One scan failing does not stop the ones after it.
 */
export function useScanQueue(handle: (code: string) => Promise<void>) {
  let queue: Promise<unknown> = Promise.resolve()

  /** Scans from now on wait for this loading (its failure is the page's to report). */
  function after(loading: Promise<unknown>): Promise<unknown> {
    queue = queue.then(() => loading).catch(() => undefined)
    return loading
  }

  function scan(code: string): Promise<unknown> {
    const trimmed = code.trim()
    queue = queue.then(() => (trimmed ? handle(trimmed) : undefined)).catch((error: unknown) => {
      console.error(error)
    })
    return queue
  }

  return { after, scan }
}
