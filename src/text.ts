// Plain-text layout shared by the command line's outputs (diagnose, check, --help): words wrapped to a
// width, with a label or indent before each line.

/**
 * Words of `text` in lines of at most `width` characters: `first` before the first line, `indent` before
 * the others. A word longer than a whole line (a dotted column name on a narrow terminal) is cut.
 */
export function wrap(text: string, width: number, first = '', indent = first.replace(/./g, ' ')): string[] {
  const room = Math.max(width - indent.length, 10);
  const words = text.split(/\s+/).filter(Boolean).flatMap((w) => w.match(new RegExp(`.{1,${room}}`, 'gu')) ?? []);
  return layout(words, width, first, indent);
}

/** A comma-separated list laid out as `wrap` does, never breaking inside one value. */
export function wrapList(values: readonly string[], width: number, first = '', indent = first.replace(/./g, ' ')): string[] {
  return layout(values.map((v, i) => (i < values.length - 1 ? `${v},` : v)), width, first, indent);
}

function layout(words: readonly string[], width: number, first: string, indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}
