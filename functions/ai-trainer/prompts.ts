// What the model is told: play the customer (persona, scenario brief, difficulty, grounding), or
// score the transcript against the rubric.
import type { ChatMessage } from '../_shared/ai/provider.ts';
import type { Category, Difficulty } from './catalog.ts';
import { personaBrief, type Turn } from './personas.ts';
import { type Citation, CRITERIA, type TranscriptLine } from './rubric.ts';

export interface CustomerContext {
  category: Category;
  categoryName: string;
  difficulty: Difficulty;
  scenarioBrief: string | null;
  snippets: Citation[];
}

export function customerSystemPrompt(ctx: CustomerContext): string {
  const parts = [
    `You are role-playing a customer in a sales training session (${ctx.categoryName}). The user is the salesperson in training.`,
    `Stay in character as the customer: reply in 1-3 short spoken sentences, never coach, never reveal you are an AI.`,
    `Difficulty: ${ctx.difficulty}. new-joining: friendly, easy to convince; basic: polite but careful; experienced: sceptical, compares offers, raises 2 objections; expert: demanding, raises several hard objections and only agrees to a next step after real empathy and a clear close.`,
    ctx.scenarioBrief
      ? `Who you are: ${ctx.scenarioBrief}`
      : `Who you are: ${personaBrief(ctx.category, ctx.difficulty)}`,
  ];
  if (ctx.snippets.length > 0) {
    parts.push(
      `Facts from the organisation's training material (stay consistent with them):\n${
        ctx.snippets.map((s) => `- ${s.snippet} (${s.source})`).join('\n')
      }`,
    );
  }
  return parts.join('\n');
}

/** The conversation for the model: the learner is the user, the customer the assistant. */
export function customerMessages(ctx: CustomerContext, transcript: Turn[]): ChatMessage[] {
  return [
    { role: 'system', content: customerSystemPrompt(ctx) },
    ...transcript.map((m): ChatMessage => ({ role: m.role === 'learner' ? 'user' : 'assistant', content: m.content })),
  ];
}

export function reportMessages(ctx: CustomerContext, transcript: TranscriptLine[]): ChatMessage[] {
  const rubric = CRITERIA.map((c) => `- ${c.key} (${c.name}): ${c.description}`).join('\n');
  const lines = transcript.map((m) => `[${m.role === 'learner' ? 'SALESPERSON' : 'CUSTOMER'}] ${m.content}`).join('\n');
  return [
    {
      role: 'system',
      content:
        `You assess a sales training role-play (${ctx.categoryName}, difficulty ${ctx.difficulty}). Score the SALESPERSON on each criterion from 0 (absent) to 5 (excellent):\n${rubric}\n` +
        `For each criterion quote 1-3 short exact phrases the SALESPERSON said as evidence (copied verbatim from the transcript; never quote the customer, never invent). ` +
        `Then write a 2-3 sentence summary, up to 5 strengths and up to 5 improvements. Answer with JSON only.`,
    },
    { role: 'user', content: `Transcript:\n${lines || '(the salesperson said nothing)'}` },
  ];
}
