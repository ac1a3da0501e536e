/**
 * The little of fontkit (pdfkit's font engine, a dependency of its own here)
 * that Coffer touches: parsing a font once, to hand pdfkit the parsed font
 * (pdfkit takes any font object with `layout`).
 */
declare module 'fontkit' {
  export interface Font {
    layout(text: string, ...rest: unknown[]): unknown
    postscriptName: string | null
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font
}
