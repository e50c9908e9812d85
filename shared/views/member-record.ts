import type { MemberRecord } from '../domain/member-record.ts';
import { escapeHtml as e, formatHours } from './certificate.ts';

/** The five-part record as the JSON route returns it. */
export type MemberRecordPage = MemberRecord;

const RATING_ZH: Record<string, string> = { excellent: '优秀', good: '良好', fair: '一般', poor: '较差' };

function table(head: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${empty}</p>`;
  const th = head.map((h) => `<th scope="col">${h}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

/**
 * The printable five-part record (志愿者档案): the same facts as the JSON, Chinese and English
 * headings, print CSS (A4). Every value is escaped; the page has no script.
 */
export function memberRecordHtml(r: MemberRecordPage): string {
  const p = r.personal;
  const row = (zh: string, en: string, value: string) => `<tr><th scope="row">${zh} · ${en}</th><td>${value}</td></tr>`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>志愿者档案 Volunteer Record ${e(p.memberId)}</title>
<style>
  @page { size: A4; margin: 16mm; }
  body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; color: #111; margin: 0; }
  main { max-width: 180mm; margin: 8mm auto; }
  h1 { text-align: center; color: #a8201a; font-size: 22pt; letter-spacing: 0.2em; margin: 0 0 2mm; }
  h2 { font-size: 13pt; border-bottom: 2px solid #a8201a; margin: 7mm 0 2mm; }
  table { width: 100%; border-collapse: collapse; font-size: 10pt; }
  th, td { text-align: left; padding: 1.5mm 2mm; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { font-weight: bold; }
  .empty { color: #666; font-size: 10pt; }
  footer { margin-top: 6mm; font-size: 8.5pt; color: #444; }
</style>
</head>
<body>
<main>
<h1>志愿者档案</h1>
<p style="text-align:center">Volunteer Record · 生成于 Generated ${e(r.generatedAt)}</p>
<h2>一、个人信息 · Personal information</h2>
<table>
${row('姓名', 'Name', e(p.name))}
${row('手机', 'Phone', e(p.phone))}
${p.idNumber ? row('身份证号', 'ID number', e(p.idNumber)) : ''}
${row('报到社区', 'Community', e(p.communityId ?? '—'))}
${row('技能', 'Skills', e(p.skills.join('、') || '—'))}
${row('星级', 'Stars', `${'★'.repeat(p.star)}${'☆'.repeat(5 - p.star)} (${e(p.star)})`)}
${row('累计服务时长', 'Confirmed hours', `${e(formatHours(p.totalHours))} 小时`)}
${row('累计积分', 'Points', e(p.totalPoints))}
</table>
<h2>二、服务记录 · Service (${e(r.service.recordCount)} 条, ${e(formatHours(r.service.totalHours))} 小时${r.service.latestOnly ? '；仅列最近 100 条 · latest 100 shown' : ''})</h2>
${table(
  ['日期 Date', '活动 Activity', '地点 Place', '时长 Hours', '组织单位 Organiser'],
  r.service.entries.map((s) => [
    e(s.date),
    e(s.activityName),
    e(s.place),
    e(formatHours(s.hours)),
    e(s.organisingUnit),
  ]),
  '暂无服务记录 · No service yet',
)}
<h2>三、培训记录 · Training</h2>
${table(
  ['日期 Date', '课程 Course', '组织方 Organiser', '学时 Hours'],
  r.training.map((t) => [e(t.date), e(t.name), e(t.organiser), e(formatHours(t.studyHours))]),
  '暂无培训记录 · No training yet',
)}
<h2>四、表彰奖励 · Awards</h2>
${table(
  ['日期 Date', '称号 Title', '类别 Kind', '授予 Awarded for'],
  r.awards.map((a) => [
    e(a.awardedOn),
    e(a.title),
    a.kind === 'exemplary' ? `先进典型 · ${e(a.level)}` : '特色项目 · Featured project',
    a.kind === 'exemplary' ? e(a.issuer) : `${e(a.teamName)} · ${e(a.projectTitle)}`,
  ]),
  '暂无表彰 · No awards yet',
)}
<h2>五、服务评价 · Evaluations</h2>
${table(
  ['日期 Date', '服务记录 Service', '评价 Rating'],
  r.evaluations.map((v) => [e(v.date), e(v.recordId), `${e(RATING_ZH[v.rating] ?? v.rating)} · ${e(v.rating)}`]),
  '暂无评价 · No evaluations yet',
)}
<footer><p>依据《志愿服务记录与证明出具办法》记录。个人信息按规定隐藏。 · Kept under the Measures for Volunteer Service Records and Certificates; personal data masked as the policy says.</p></footer>
</main>
</body>
</html>
`;
}
