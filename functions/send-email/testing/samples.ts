// Valid template data for every template, as the database writes it (shared by the tests).
export const note = (data: Record<string, unknown>, title = 'Title') => ({
  title,
  body: 'Body text.',
  display_name: 'Ada',
  data,
});

/** Valid data for every template, as the database writes it. */
export const SAMPLES: Record<string, Record<string, unknown>> = {
  welcome: { display_name: 'Ada' },
  invitation: {
    invitation_id: 'a6f1c2d4-0000-4000-8000-000000000001',
    organization_id: 'x',
    organization_name: 'Acme Learning',
    role: 'instructor',
    expires_at: '2026-12-20T10:00:00+00:00',
    invited_by: 'Grace',
  },
  weekly_progress: {
    display_name: 'Ada',
    week: '2026-W49',
    xp_earned: 340,
    quizzes: 1,
    level: 3,
    total_xp: 910,
    current_streak: 4,
  },
  streak_at_risk: note({ current_streak: 6, date: '2026-12-06' }, 'Your 6-day streak ends at midnight'),
  level_up: note({ level: 4, previous_level: 3, xp: 960 }, 'Level 4 reached'),
  achievement: note({ achievement_id: 2, slug: 'first-quiz', xp_reward: 50 }, 'Achievement unlocked: First quiz'),
  assignment_due: note(
    { assignment_id: 17, due_at: '2026-12-07T09:00:00+00:00', reason: 'due_soon' },
    'Due soon: Week 1',
  ),
  report_ready: note({ session_id: 'abc' }, 'Your training report is ready'),
  system: note({}, 'Exam day moved'),
};
