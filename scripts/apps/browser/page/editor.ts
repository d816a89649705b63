/**
 * The message editor: a plain textarea (no wrapping) with a line-number gutter that renders only
 * the visible numbers, so a 10 MB message costs nothing extra; jump to a line and column.
 */
export class Editor {
  private lineHeight = 20;
  private total = 1;

  constructor(
    readonly text: HTMLTextAreaElement,
    private readonly numbers: HTMLElement,
    private readonly position: HTMLElement
  ) {
    text.addEventListener('scroll', () => this.paint());
    text.addEventListener('input', () => this.recount());
    for (const ev of ['keyup', 'click', 'select'] as const) text.addEventListener(ev, () => this.showPosition());
    window.addEventListener('resize', () => this.paint());
    this.measure();
    this.recount();
  }

  get value(): string {
    return this.text.value;
  }

  set value(v: string) {
    this.text.value = v;
    this.text.scrollTop = 0;
    this.recount();
    this.showPosition();
  }

  /** Put the caret at line:col (1-based) and scroll it into view. */
  jump(line: number, column: number): void {
    const v = this.text.value;
    let offset = 0;
    for (let l = 1; l < line; l++) {
      const nl = v.indexOf('\n', offset);
      if (nl < 0) break;
      offset = nl + 1;
    }
    const end = v.indexOf('\n', offset);
    const at = Math.min(offset + Math.max(0, column - 1), end < 0 ? v.length : end);
    this.text.focus();
    this.text.setSelectionRange(at, at);
    this.text.scrollTop = Math.max(0, (line - 1) * this.lineHeight - this.text.clientHeight / 3);
    this.paint();
    this.showPosition();
  }

  private measure(): void {
    const lh = parseFloat(getComputedStyle(this.text).lineHeight);
    if (lh > 0) this.lineHeight = lh;
  }

  private recount(): void {
    this.total = countLines(this.text.value);
    this.paint();
  }

  private paint(): void {
    const total = this.total;
    const first = Math.floor(this.text.scrollTop / this.lineHeight);
    const shown = Math.ceil(this.text.clientHeight / this.lineHeight) + 2;
    const lines: string[] = [];
    for (let n = first + 1; n <= Math.min(total, first + shown); n++) lines.push(String(n));
    this.numbers.textContent = lines.join('\n');
    this.numbers.style.transform = `translateY(${first * this.lineHeight - this.text.scrollTop}px)`;
  }

  private showPosition(): void {
    const v = this.text.value;
    const at = this.text.selectionStart;
    const before = v.lastIndexOf('\n', at - 1);
    this.position.textContent = `Line ${countLines(v.slice(0, at))}, column ${at - before}`;
  }
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
