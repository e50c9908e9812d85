import type { CertificateVerification } from '../domain/certificate.ts';

/** The certificate's printable page (the rules and the facts it shows: shared/domain/certificate.ts). */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (ch) => ENTITIES[ch]!);
}

/** Hours as printed: 12, 12.5. */
export function formatHours(h: number): string {
  return Number.isInteger(h) ? String(h) : h.toFixed(1);
}

/**
 * The printable verification page: the same facts as the JSON verification, with Chinese and
 * English labels and print CSS (A4). Every value is escaped; the page has no script.
 */
export function certificateHtml(v: CertificateVerification, holder = false): string {
  const e = escapeHtml;
  const row = (zh: string, en: string, value: string) =>
    `<tr><th scope="row"><span class="zh">${zh}</span><span class="en">${en}</span></th><td>${value}</td></tr>`;
  const status = v.valid ? '<strong class="ok">有效 · Valid</strong>' : '<strong class="bad">无效 · Not valid</strong>';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>志愿服务证明 Volunteer Service Certificate ${e(v.number)}</title>
<style>
  @page { size: A4; margin: 20mm; }
  body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; color: #111; margin: 0; background: #f4f1ea; }
  main { max-width: 170mm; margin: 12mm auto; padding: 14mm 16mm; background: #fff; border: 3px double #a8201a; }
  h1 { text-align: center; color: #a8201a; margin: 0 0 2mm; font-size: 26pt; letter-spacing: 0.3em; }
  .sub { text-align: center; margin: 0 0 8mm; font-size: 12pt; letter-spacing: 0.1em; }
  table { width: 100%; border-collapse: collapse; font-size: 12pt; }
  th, td { text-align: left; padding: 3mm 2mm; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { width: 42%; font-weight: normal; }
  .zh { display: block; font-weight: bold; }
  .en { display: block; font-size: 9pt; color: #555; }
  .ok { color: #1b6e2a; }
  .bad { color: #a8201a; }
  .num { font-family: "Courier New", monospace; letter-spacing: 0.05em; }
  footer { margin-top: 8mm; font-size: 9pt; color: #444; line-height: 1.6; }
  @media print {
    body { background: #fff; }
    main { margin: 0 auto; border-color: #a8201a; box-shadow: none; }
    .screen-only { display: none; }
  }
</style>
</head>
<body>
<main>
<h1>志愿服务证明</h1>
<p class="sub">Volunteer Service Certificate</p>
<table>
${row('证明编号', 'Certificate number', `<span class="num">${e(v.number)}</span>`)}
${row('核验结果', 'Verification', status)}
${row('志愿者', 'Volunteer', e(v.name))}
${row('累计服务时长', 'Total service hours', `${e(formatHours(v.totalHours))} 小时 · hours`)}
${row('服务记录', 'Service records', `${e(v.recordCount)} 条 · records`)}
${row('出具日期', 'Date of issue', e(v.issuedOn))}
${row('出具单位', 'Issuing unit', `${e(v.issuingUnit.nameZh)} · ${e(v.issuingUnit.name)}`)}
</table>
<footer>
<p>本证明依据《志愿服务记录与证明出具办法》免费出具，服务时长为出具之日的累计时长。${
    holder ? '本页为持有人本人查看，显示完整姓名；公开核验页隐藏部分姓名。' : '姓名已部分隐藏以保护个人信息。'
  }<br>
Issued free of charge under the Measures for Volunteer Service Records and Certificates. Hours are the total on the date of issue. ${
    holder
      ? 'Shown to its holder, with the name in full; the public verification page masks it.'
      : 'The name is partly masked to protect personal data.'
  }</p>
<p class="screen-only">打印本页：使用浏览器的打印功能。 · To print this page, use your browser's print command.</p>
</footer>
</main>
</body>
</html>
`;
}

/** The page for a certificate number nobody issued (or not the caller's): 404, same look, no script. */
export function certificateNotFoundHtml(number: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>未找到证明 Certificate not found</title>
<style>
  body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; color: #111; margin: 0; background: #f4f1ea; }
  main { max-width: 170mm; margin: 12mm auto; padding: 14mm 16mm; background: #fff; border: 3px double #a8201a; }
  h1 { text-align: center; color: #a8201a; margin: 0 0 6mm; font-size: 20pt; }
  .num { font-family: "Courier New", monospace; }
</style>
</head>
<body>
<main>
<h1>未找到该志愿服务证明<br><small>Certificate not found</small></h1>
<p>编号 <span class="num">${escapeHtml(number)}</span> 没有对应的证明，请核对编号。<br>
No certificate has the number <span class="num">${escapeHtml(number)}</span>. Please check the number.</p>
</main>
</body>
</html>
`;
}
