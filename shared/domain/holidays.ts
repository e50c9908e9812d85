/**
 * China's public holidays and make-up working days (调休), as the State Council's General Office
 * announces them each year in its notice on the arrangement of some holidays
 * (国务院办公厅关于YYYY年部分节假日安排的通知), usually in November for the next year.
 *
 * Data, not rules: shared/domain/calendar.ts reads it to count working days (the 10 working days to
 * record and to evaluate a service, the 5 working days of a public notice). A year that is not
 * here counts Monday to Friday, and the daily `check-calendar` job alarms from 45 days before such
 * a year begins (README, runbook "calendar-uncovered"): add the year from the notice, word for
 * word, and deploy. Each entry keeps the notice's own count of days, which a test holds the dates
 * to.
 */
export interface Holiday {
  /** The holiday's name in the notice. */
  readonly name: string;
  /** First and last day off (YYYY-MM-DD), weekends inside included, as the notice gives them. */
  readonly from: string;
  readonly to: string;
  /** The notice's own count of days off ("共N天"). */
  readonly days: number;
}

export interface HolidayYear {
  readonly year: number;
  /** The notice: its date and document number where known. */
  readonly notice: string;
  readonly holidays: readonly Holiday[];
  /** Weekend days that are working days (调休上班), each a Saturday or Sunday. */
  readonly workdays: readonly string[];
}

export const HOLIDAY_YEARS: readonly HolidayYear[] = [
  {
    year: 2024,
    notice: '国务院办公厅关于2024年部分节假日安排的通知 (2023-10-25)',
    holidays: [
      // "1月1日放假，与周末连休": the weekend before is off anyway.
      { name: '元旦', from: '2024-01-01', to: '2024-01-01', days: 1 },
      { name: '春节', from: '2024-02-10', to: '2024-02-17', days: 8 },
      { name: '清明节', from: '2024-04-04', to: '2024-04-06', days: 3 },
      { name: '劳动节', from: '2024-05-01', to: '2024-05-05', days: 5 },
      // "6月10日放假，与周末连休".
      { name: '端午节', from: '2024-06-10', to: '2024-06-10', days: 1 },
      { name: '中秋节', from: '2024-09-15', to: '2024-09-17', days: 3 },
      { name: '国庆节', from: '2024-10-01', to: '2024-10-07', days: 7 },
    ],
    workdays: [
      '2024-02-04',
      '2024-02-18',
      '2024-04-07',
      '2024-04-28',
      '2024-05-11',
      '2024-09-14',
      '2024-09-29',
      '2024-10-12',
    ],
  },
  {
    year: 2025,
    notice: '国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号 (2024-11-12)',
    holidays: [
      { name: '元旦', from: '2025-01-01', to: '2025-01-01', days: 1 },
      { name: '春节', from: '2025-01-28', to: '2025-02-04', days: 8 },
      { name: '清明节', from: '2025-04-04', to: '2025-04-06', days: 3 },
      { name: '劳动节', from: '2025-05-01', to: '2025-05-05', days: 5 },
      { name: '端午节', from: '2025-05-31', to: '2025-06-02', days: 3 },
      { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08', days: 8 },
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    notice: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)',
    holidays: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03', days: 3 },
      { name: '春节', from: '2026-02-15', to: '2026-02-23', days: 9 },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06', days: 3 },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05', days: 5 },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21', days: 3 },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27', days: 3 },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07', days: 7 },
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];
