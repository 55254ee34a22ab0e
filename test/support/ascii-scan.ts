/**
 * Finds English that leaks into the Chinese UI: words of Latin letters in the visible text of a page.
 * Allowed: digits and identifiers (case numbers, ledger positions, hashes, keys: anything in `code`,
 * `pre`, `kbd`, monospace `.xzt-mono`, and what the page marks `translate="no"`, such as usernames), what people typed (inputs, text areas,
 * form values), the language switch (it names the other language), acronyms in capitals (PDF, SHA-256,
 * RFC 6962) and file extensions (`.pdf`).
 */
import type { Page } from 'playwright-core'

export interface AsciiLeak {
  word: string
  text: string
}

/** Runs in the page: visible text nodes outside the allowed elements, and the words in them. */
function scanInPage(allowedWords: readonly string[]): AsciiLeak[] {
  const SKIP =
    'code, pre, kbd, samp, script, style, noscript, textarea, input, select, svg, .xzt-mono, [translate="no"], [data-testid="lang-switch"], .ant-select-selection-item, .ant-select-selection-search, .ant-picker-input, .ant-input-number-input-wrap'
  const allowed = new Set(allowedWords)
  const out: AsciiLeak[] = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? ''
    if (!/[A-Za-z]/.test(text)) continue
    const el = node.parentElement
    if (!el || el.closest(SKIP)) continue
    if (el.getClientRects().length === 0) continue
    const style = getComputedStyle(el)
    if (style.visibility === 'hidden' || style.display === 'none') continue
    // Words with a lowercase letter (all capitals are acronyms); a file extension after a dot is not one.
    for (const m of text.matchAll(/(?<![A-Za-z0-9_.])[A-Za-z]*[a-z][A-Za-z]*/g)) {
      if (m[0].length < 2 || allowed.has(m[0])) continue
      out.push({ word: m[0], text: text.trim().slice(0, 80) })
    }
  }
  return out
}

export async function asciiLeaks(page: Page, allowedWords: readonly string[] = []): Promise<AsciiLeak[]> {
  return page.evaluate(scanInPage, allowedWords)
}
