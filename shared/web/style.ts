/**
 * The one stylesheet of every page, inlined and allowed by its hash. Mobile first: one
 * column, 16 px text or more (no zoom on focus), touch targets of 48 px, visible focus,
 * colours with at least 4.5:1 contrast; tables become cards on narrow screens.
 */
export const stylesheet = `
:root{--ink:#1b1b1f;--muted:#4a4a57;--line:#c4c6d0;--soft:#f1f3f9;--brand:#0a4fb5;--brand-dark:#073a87;--danger:#a4161a;--ok:#146c2e;--warn-bg:#fff4d6;--radius:10px;color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--ink);background:#fff}
a{color:var(--brand)}
a:hover{color:var(--brand-dark)}
:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
[hidden]{display:none!important}
.skip{position:absolute;left:.5rem;top:-4rem;background:#fff;padding:.75rem 1rem;border:2px solid var(--brand);border-radius:var(--radius);z-index:10}
.skip:focus{top:.5rem}
.offscreen{position:absolute!important;width:1px!important;height:1px!important;min-height:0!important;padding:0!important;border:0!important;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
header.site{border-bottom:1px solid var(--line);background:var(--soft)}
header.site .bar{display:flex;align-items:center;justify-content:space-between;gap:1rem;max-width:72rem;margin:0 auto;padding:.5rem 1rem;min-height:3.5rem}
.brand{font-weight:700;font-size:1.2rem;text-decoration:none;color:var(--ink);padding:.5rem 0}
main{display:block;margin:0 auto;padding:1.25rem 1rem 3rem}
main.narrow{max-width:36rem}
main.wide{max-width:72rem}
main:focus{outline:none}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.3rem;line-height:1.3;margin:2rem 0 .75rem}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
h1:focus,h2:focus,section:focus,.reveal:focus,.result:focus{outline:none}
p{margin:.5rem 0}
.lead{font-size:1.125rem}
.muted{color:var(--muted)}
.block{display:block}
.mono,.code,.identifier{font-family:ui-monospace,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace}
.notice{background:var(--warn-bg);border-left:4px solid #8a5a00;padding:.75rem 1rem;border-radius:var(--radius)}
.card{border:1px solid var(--line);border-radius:var(--radius);padding:1rem;margin:1rem 0;background:#fff}
.panel{background:var(--soft);border-radius:var(--radius);padding:1rem;margin:1rem 0}
form{margin:0}
.field{margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:0 0 .35rem}
label.check{display:flex;align-items:center;gap:.75rem;font-weight:400;min-height:48px;margin:0}
label.check input{width:1.5rem;height:1.5rem;margin:0;flex:none;accent-color:var(--brand)}
fieldset{border:1px solid var(--line);border-radius:var(--radius);padding:.75rem 1rem;margin:0 0 1.25rem}
legend{font-weight:600;padding:0 .25rem}
.hint{color:var(--muted);margin:0 0 .5rem;font-size:1rem}
input[type=text],input[type=password],input[type=number],input[type=search],input:not([type]),select{display:block;width:100%;min-height:48px;padding:.6rem .75rem;font:inherit;color:inherit;background:#fff;border:2px solid #6b6e7b;border-radius:8px}
input[type=file]{display:block;width:100%;min-height:48px;padding:.5rem 0;font:inherit}
input[aria-invalid=true]{border-color:var(--danger)}
.field-error{color:var(--danger);font-weight:600;margin:.35rem 0 0}
.field-error:empty{display:none}
button,.button{display:inline-flex;align-items:center;justify-content:center;gap:.5rem;min-height:48px;min-width:48px;padding:.6rem 1.25rem;font:inherit;font-weight:600;border-radius:8px;border:2px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer;text-decoration:none}
button:hover,.button:hover{background:var(--brand-dark);border-color:var(--brand-dark);color:#fff}
button.secondary,.button.secondary{background:#fff;color:var(--brand)}
button.secondary:hover,.button.secondary:hover{background:var(--soft);color:var(--brand-dark)}
button.danger{background:#fff;color:var(--danger);border-color:var(--danger)}
button.danger:hover{background:#fdecec;color:var(--danger)}
button.link{background:none;border:none;color:var(--brand);text-decoration:underline;padding:.6rem .25rem;font-weight:400}
button.small,.button.small{min-height:44px;padding:.4rem .9rem;font-size:1rem}
button:disabled{opacity:.6;cursor:progress}
.primary-action{width:100%}
@media (min-width:40rem){.primary-action{width:auto}}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.message{margin:1rem 0;padding:.75rem 1rem;border-radius:var(--radius);font-weight:600;border-left:4px solid var(--danger);background:#fdecec;color:var(--danger)}
.message[data-kind=ok]{border-color:var(--ok);background:#e8f5ec;color:var(--ok)}
.message[data-kind=info]{border-color:var(--brand);background:var(--soft);color:var(--ink)}
.rules{margin:.25rem 0 .75rem;padding-left:1.25rem}
.rules li{margin:.15rem 0}
.identifier-card{background:var(--soft);border:2px solid var(--brand);border-radius:var(--radius);padding:1rem;margin:1rem 0}
.identifier{font-size:1.6rem;font-weight:700;line-height:1.3;word-break:break-all;margin:.25rem 0 .75rem}
.code{font-size:1.5rem;font-weight:700;letter-spacing:.05em;word-break:break-all;margin:.25rem 0}
.copy-row{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem}
.note{font-weight:600}
.reveal,.result{background:var(--soft);border-radius:var(--radius);padding:.75rem 1rem;margin:.5rem 0;width:100%}
.reveal-title{font-weight:600;margin:0}
.stack>*{margin-top:.5rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
form.inline input{flex:1 1 12rem;width:auto}
.filters{display:grid;gap:.75rem;grid-template-columns:1fr;align-items:end;margin:0 0 1rem}
.filters .field{margin:0}
@media (min-width:40rem){.filters{grid-template-columns:repeat(auto-fit,minmax(12rem,1fr))}}
nav.sections ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:0 0 1rem}
nav.sections a{display:inline-flex;align-items:center;min-height:44px;padding:.25rem .75rem;border:1px solid var(--line);border-radius:999px;text-decoration:none}
nav.sections a[aria-current=page]{background:var(--brand);border-color:var(--brand);color:#fff;font-weight:600}
section.area{border-top:1px solid var(--line);margin-top:1rem;padding-top:.25rem}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:999px;font-size:.95rem;font-weight:600;border:1px solid currentColor}
.badge-pending{color:var(--brand)}
.badge-accepted{color:var(--ok)}
.badge-revoked{color:var(--danger)}
.badge-expired{color:#6b4e00}
.badge-active{color:var(--ok)}
.badge-deactivated{color:var(--danger)}
.user-panel{border:2px solid var(--brand);border-radius:var(--radius);padding:.75rem 1rem;margin:.25rem 0 .75rem;background:#fff}
.panel-head{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem}
.panel-head h3{margin:.25rem 0;word-break:break-all}
.user-panel .part{border-top:1px solid var(--line);margin-top:1rem;padding-top:.25rem;max-width:40rem}
.user-panel h4{font-size:1.05rem;margin:.75rem 0 .5rem}
tr.panel-row>td{padding-top:0}
dialog{border:none;border-radius:var(--radius);padding:1.25rem;max-width:min(32rem,calc(100vw - 2rem));color:var(--ink);box-shadow:0 8px 32px rgba(0,0,0,.35)}
dialog::backdrop{background:rgba(0,0,0,.5)}
dialog p{margin:0 0 1rem;font-weight:600}
table{width:100%;border-collapse:collapse;margin:.5rem 0}
table:has(tbody:empty){display:none}
.area form:not(.filters):not(.inline),.area>.hint{max-width:40rem}
th,td{text-align:left;vertical-align:top;padding:.6rem .5rem;border-bottom:1px solid var(--line)}
th{font-size:.95rem;color:var(--muted)}
progress{width:100%;height:1.25rem;accent-color:var(--brand)}
dl.facts{display:grid;grid-template-columns:1fr;gap:.25rem 1rem;margin:1rem 0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0 0 .75rem}
@media (min-width:40rem){dl.facts{grid-template-columns:max-content 1fr}dl.facts dd{margin:0}}
.choices{display:grid;gap:1rem;margin:1.5rem 0}
.choices .button{width:100%;min-height:56px;font-size:1.1rem}
@media (max-width:47.99rem){
table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards tr{border:1px solid var(--line);border-radius:var(--radius);margin:0 0 .75rem;padding:.25rem .75rem}
table.cards td{border:none;padding:.4rem 0}
table.cards td[data-empty]{display:none}
table.cards td::before{content:attr(data-label);display:block;font-size:.9rem;font-weight:600;color:var(--muted)}
}
`.trim();
