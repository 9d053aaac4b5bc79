/**
 * The desk's one stylesheet, served by the bot at /desk/desk.css (the Content-Security-Policy allows
 * no other style). Colours meet WCAG 2.1 AA contrast; focus is always visible; on a phone the
 * navigation wraps, charts and their tables stack, and wide tables scroll inside their own box.
 */
export const deskCss = `
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --paper: #ffffff; --band: #f3f4f6; --accent: #0b5394; --warn: #8a3b00; --warn-bg: #fff4e5; --ok: #1b5e20; --ok-bg: #e8f5e9; --bad: #8b0000; --bad-bg: #fdecea; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 100%; line-height: 1.5; color: var(--ink); background: var(--paper); -webkit-text-size-adjust: 100%; }
body { margin: 0; }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: var(--paper); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
header.top { background: var(--band); border-bottom: 1px solid var(--line); padding: .75rem 1rem 0; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; justify-content: space-between; }
.brand { margin: 0; font-weight: 700; }
.brand span { font-weight: 400; color: var(--muted); }
.tools { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.tools form { display: flex; gap: .25rem; align-items: center; margin: 0; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: .75rem 0 0; padding: 0; }
nav a { display: inline-block; padding: .5rem .75rem; text-decoration: none; border-radius: 4px 4px 0 0; }
nav a[aria-current="page"] { background: var(--paper); color: var(--ink); font-weight: 700; border: 1px solid var(--line); border-bottom-color: var(--paper); margin-bottom: -1px; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
.lead { color: var(--muted); margin-top: -.5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .75rem; margin: 0; }
.cards div { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; }
.cards dt { font-weight: 700; }
.cards dd { margin: .25rem 0 0; }
.figure { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; margin: 0; }
.figure svg { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
.figure figcaption { grid-column: 1 / -1; color: var(--muted); }
.figure.stacked { grid-template-columns: minmax(0, 1fr); }
.figure.stacked svg { max-width: 48rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--band); }
td.num, th.num { text-align: right; }
.note { color: var(--muted); }
.flag { display: inline-block; background: var(--warn-bg); color: var(--warn); border: 1px solid #d9a066; border-radius: 3px; padding: 0 .35rem; margin: 0 .25rem .25rem 0; font-size: .9rem; }
.notice { border-left: 4px solid var(--ok); background: var(--ok-bg); padding: .75rem 1rem; margin: 1rem 0; }
.problem { border-left: 4px solid var(--bad); background: var(--bad-bg); padding: .75rem 1rem; margin: 1rem 0; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin: 0 0 1rem; }
form.filters div, .stack div { display: flex; flex-direction: column; gap: .25rem; }
.stack { display: flex; flex-direction: column; gap: .75rem; max-width: 40rem; }
.stack div.actions { flex-direction: row; }
.stack div.check { flex-direction: row; align-items: center; gap: .5rem; }
input[type="checkbox"] { width: 1.25rem; height: 1.25rem; }
.inline { display: inline; margin: 0; }
.field-error { color: var(--bad); font-weight: 600; }
[aria-invalid="true"] { border-color: var(--bad); border-width: 2px; }
label { font-weight: 600; }
input, select, textarea, button { font: inherit; }
input[type="file"], input[type="text"], input[type="date"], select, textarea { max-width: 100%; }
input[type="text"], input[type="date"], select, textarea, input[type="file"] { border: 1px solid #767676; border-radius: 4px; padding: .35rem; background: var(--paper); color: var(--ink); }
textarea { width: 100%; min-height: 3rem; }
button { cursor: pointer; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; padding: .4rem .8rem; min-height: 2.25rem; }
button.secondary { background: var(--paper); color: var(--accent); }
.tools button { background: var(--paper); color: var(--accent); padding: .25rem .6rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
.suggestion { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; margin: 0 0 .75rem; }
.suggestion ol { margin: .25rem 0 .5rem; padding-left: 1.25rem; }
.suggestion li { margin-bottom: .35rem; }
.answers li { margin-bottom: .75rem; white-space: pre-wrap; }
.bare { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
@media (max-width: 48rem) {
  .figure { grid-template-columns: 1fr; }
  h1 { font-size: 1.35rem; }
  nav a { padding: .4rem .5rem; }
  th, td { padding: .35rem .35rem; }
}
`;
