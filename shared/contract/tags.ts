/**
 * The groups the OpenAPI document lists its operations under, in this order, each with what a
 * client finds there. Every contract names one (`tag`); only the document's generator imports the
 * descriptions, so no function bundle carries them.
 */
export const TAGS = {
  platform: 'Liveness of the district API, and this document.',
  places:
    'The district’s streets (街道, sub-districts and towns), their communities (社区, urban, or 村, rural) and the grids (网格) of each community.',
  members:
    'Member profiles: a member’s own (phone and ID number in full), and what community admins see of the members checked in to their community (masked in lists).',
  'check-ins':
    'A member asks to check in to the community where they live (报到); an admin of that community (or above) approves or rejects.',
  teams:
    'Volunteer teams: registration by the district, join requests decided by the team’s leader, the roster, the flag grant (授旗).',
  themes:
    'Each month’s theme (主题党日): the city’s year plan, a district’s own theme for a month, and the theme that applies now.',
  activities:
    'Activities a team leader publishes: sign-up (confirmed, then waitlisted in arrival order), on-site attendance with a short-lived code, and the close that writes the service records.',
  records:
    'Service records (one per attendee of a closed activity, or per completed micro-wish) with every field the national rules name, and corrections of their hours.',
  certificates:
    'Certificates of a member’s confirmed service: issued free to the member, verified by anyone who holds the number (JSON, or a printable page).',
  wishes:
    'Micro-wishes (微心愿): a resident posts one, the community reviews it, a member claims it (or a team takes it on after escalation), completes it, and the resident confirms.',
  stations:
    'Micro-stations (微驿站) in the party-mass service centres of streets and communities: opening hours, closures, and bookings by the half hour (never two on one unit; back to back is fine).',
  training:
    'Qualifications from training in three tiers (pre-service ⊂ professional ⊂ backbone): grants with an optional expiry (a re-grant only extends), the training part of a member’s record, and what expires soon.',
  notifications:
    'What the platform tells members and residents: an in-app inbox, SMS and WeChat subscription messages, each notice at most once; quiet hours 22:00-08:00 (Asia/Shanghai) for all but urgent notices; preferences per type and channel, some types mandatory.',
  stats:
    'Monthly counters of a scope (district, street, community, grid, team), live or frozen by the rollup, as JSON or CSV; and the public headline figures with small counts suppressed.',
  evaluation:
    'Record-based evaluation (纪实评价): points for confirmed facts (rules as data), stars by confirmed hours (the fifth after a review), rankings of members and teams, the community’s evaluations, and each member’s five-part record.',
  nominations:
    'Exemplary nominations (先进典型): a nomination with the evidence as it stands, the district’s review, the public notice (公示) of 5 working days with objections to the reviewer, approval into the member’s record after it; three different people; an append-only audit. The reserve-cadre pool (后备干部), for street and district admins.',
  featured:
    'Featured projects (特色项目): the district’s yearly call, a team’s submission with evidence from the platform’s own facts, conflict-free review with locked scores, the ranked public notice (公示), and awards within tiers and budget (以奖代补) that enter each core member’s record and the team’s history.',
  roles:
    'Who may do what: a user’s roles and scope in the district (resident at sign-up, member at check-in approval, team leader when named, admin roles granted by the admins above them), grants and revocations, and the append-only role audit. A change takes effect at the user’s next token refresh.',
  city: 'The city’s own API, for city admins: every district’s frozen month and the city’s theme plan. It is served by the City stack, at the base URL each of these paths names (`servers`), not by the district’s API.',
} as const;

export type Tag = keyof typeof TAGS;
