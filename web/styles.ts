/**
 * The pages' one stylesheet, inlined in each shell: in /club and /admin (web/pages.ts)
 * and in the member page the Shopify app proxy answers on the shop's domain
 * (shared/portal/proxy-page.ts), which must not pull the page build (esbuild) into a Lambda.
 */
export const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Vazirmatn,Tahoma,sans-serif;background:#f4f5f7;color:#1d2330}
#app{max-width:720px;margin:0 auto;padding:12px}.card{background:#fff;border-radius:12px;padding:16px;margin:12px 0;box-shadow:0 1px 3px #0001}
h1,h2,h3{margin:0 0 8px}h2{font-size:1.1rem}.muted{color:#687082}.hero{background:#243b6b;color:#fff;position:relative}.hero .muted{color:#cdd6ea}
.balance{font-size:2.6rem;font-weight:700;margin:0}.label,.hello{margin:0}h1.hello{font-size:1.2rem}.lang{position:absolute;inset-inline-end:16px;top:16px;color:#fff}
.bar{height:8px;background:#ffffff40;border-radius:4px;overflow:hidden}.bar span{display:block;height:100%;background:#f5c542}
ul,ol{padding-inline-start:20px;margin:0}.warn{color:#b3261e}.rewards,.history{list-style:none;padding:0}
.rewards li,.history li{display:flex;gap:8px;align-items:center;justify-content:space-between;padding:8px 0;border-bottom:1px solid #eee}
.rewards .name,.history .what{flex:1}.pts{font-weight:600;color:#1b7a3a}.pts.neg{color:#b3261e}.when{color:#687082;font-size:.9rem}
button{font:inherit;background:#243b6b;color:#fff;border:0;border-radius:8px;padding:8px 14px;cursor:pointer}button:disabled{opacity:.6}
button.secondary{background:#e7eaf1;color:#243b6b}.code{display:flex;gap:8px;align-items:center}code{font-size:1.2rem;background:#f0f2f6;padding:4px 8px;border-radius:6px}
.notice,.msg.notice{background:#e6f4ea}.notice .muted{color:#505766}.error,.msg.error{background:#fce8e6}.msg{padding:8px 12px;border-radius:8px}
nav{display:flex;gap:6px;align-items:center;flex-wrap:wrap}.tab{background:#e7eaf1;color:#243b6b}.tab.active{background:#243b6b;color:#fff}.who{margin-inline-start:auto;color:#5c6475}.console-title{font-size:1.1rem;margin:0;flex-basis:100%}
form label{display:block;margin:8px 0}input{font:inherit;padding:8px;border:1px solid #ccd;border-radius:8px;width:100%}.search{display:flex;gap:8px}
table{width:100%;border-collapse:collapse;font-size:.9rem}th,td{text-align:start;padding:6px;border-bottom:1px solid #eee}.num{text-align:end;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 16px;margin:0}dt{color:#687082}dd{margin:0}td,dd,li{overflow-wrap:anywhere}
.calendar{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}.month{border:1px solid #eee;border-radius:8px;padding:8px}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}.figure{border:1px solid #eee;border-radius:8px;padding:8px;display:flex;flex-direction:column}
pre{overflow:auto;font-size:.8rem;background:#f7f7f9;padding:8px}textarea{display:block;width:100%;font:.85rem/1.4 ui-monospace,monospace;padding:8px;border:1px solid #ccd;border-radius:8px;margin:8px 0}[aria-invalid=true]{border-color:#b3261e;outline-color:#b3261e}fieldset{border:1px solid #e3e6ee;border-radius:8px;margin:12px 0;min-width:0}legend{font-weight:600}.problem{display:block;color:#b3261e;font-size:.9rem}.item{border-top:1px solid #eee;padding:8px 0}label.check input{width:auto}
.period{display:flex;gap:8px;flex-wrap:wrap;align-items:center}.period input{width:auto}select{font:inherit;padding:8px;border:1px solid #ccd;border-radius:8px;background:#fff}
.figure small{font-size:.8rem}figure{margin:8px 0}figcaption{font-weight:600}.chart{width:100%;max-width:640px;height:auto;display:block}.legend{margin:0;font-size:.85rem}
@media (max-width:640px){#app{padding:6px}.card{padding:12px}table.cards thead{display:none}table.cards,table.cards tbody,table.cards tr{display:block}
table.cards tr{border:1px solid #e3e6ee;border-radius:8px;margin:8px 0;padding:4px 10px}table.cards td{display:flow-root;border:0;padding:4px 0;text-align:end}
table.cards td::before{content:attr(data-label);color:#687082;text-align:start;float:inline-start;max-width:50%;margin-inline-end:12px}table.cards td[data-label=""]::before{display:none}}`;
