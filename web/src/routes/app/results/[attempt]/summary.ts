// What the results page says: the headline, the XP story and where the XP bar starts filling.
import type { AttemptReview } from '$lib/quiz.ts';

export interface FlashLike {
  xp_earned: number;
  total_xp: number;
  achievements: { xp_reward?: number }[];
  streak: { current: number; status: string } | null;
}

export interface ResultSummary {
  headline: string;
  passed: boolean;
  wrongCount: number;
  /** XP from this quiz, achievements included. */
  xpTotal: number;
  xpBreakdown: string;
  /** Total XP before this quiz: where the bar starts. */
  xpBefore: number;
  streakText: string;
}

export function summarise(review: AttemptReview, flash: FlashLike | null, currentXp: number, passingPercent: number): ResultSummary {
  const a = review.attempt;
  const pct = a.score_percentage ?? 0;
  const quizXp = a.xp_earned ?? 0;
  const achievementXp = flash ? flash.achievements.reduce((n, x) => n + (x.xp_reward ?? 0), 0) : 0;
  const xpTotal = quizXp + achievementXp;
  const headline =
    pct === 100 ? 'Perfect score!' : pct >= 90 ? 'Outstanding!' : pct >= passingPercent ? 'Nicely done!' : pct >= 50 ? 'Good effort: keep going' : 'Every mistake is a lesson';
  const parts = [`${quizXp} for correct answers`];
  if (achievementXp) parts.push(`${achievementXp} from achievements`);
  const streak = flash?.streak;
  const streakText = !streak
    ? ''
    : streak.status === 'extended'
      ? `Streak extended: ${streak.current} days`
      : streak.status === 'started' || streak.status === 'restarted'
        ? 'Streak started: day 1'
        : `${streak.current}-day streak, safe for today`;
  return {
    headline,
    passed: pct >= passingPercent,
    wrongCount: review.questions.filter((q) => !q.is_correct).length,
    xpTotal,
    xpBreakdown: parts.join(' · '),
    xpBefore: Math.max(0, (flash?.total_xp ?? currentXp) - xpTotal),
    streakText,
  };
}
