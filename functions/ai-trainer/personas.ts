// The offline trainer's customers: one scripted persona per category, made harder by the
// difficulty. Deterministic: the same transcript always gets the same reply. Every reply says
// plainly that it is scripted, because no AI provider is configured.
import type { Category, Difficulty } from './catalog.ts';

export interface Persona {
  name: string;
  situation: string;
  /** What the customer wants to hear about, in order. */
  concerns: string[];
  /** Objections raised when the learner has not addressed them. */
  objections: string[];
}

export const PERSONAS: Record<Category, Persona> = {
  'pre-consultation': {
    name: 'Priya',
    situation: 'called after seeing an advert and is not sure a consultation is worth her time',
    concerns: ['what happens during a consultation', 'how long it takes', 'whether it is free'],
    objections: [
      'I am just looking for information, I do not want to be pushed into anything.',
      'Can you not just tell me the price on the phone?',
    ],
  },
  'consultation-series': {
    name: 'Daniel',
    situation: 'is at his first consultation about thinning hair on the crown',
    concerns: ['which options suit his hair loss', 'how natural it will look', 'maintenance'],
    objections: ['My friend said these things always look fake.', 'I need to think about it and talk to my partner.'],
  },
  'sales-objections': {
    name: 'Marcus',
    situation: 'likes the system but keeps finding reasons not to buy today',
    concerns: ['the total price', 'what is included', 'the guarantee'],
    objections: [
      'Your price is higher than the place down the road.',
      'I am not sure I can trust it to stay on at the gym.',
      'Now is not a good time for me.',
    ],
  },
  'after-fixing-objection': {
    name: 'Sofia',
    situation: 'had her price concern answered and now hesitates about the next step',
    concerns: ['what happens next', 'the first fitting date', 'payment options'],
    objections: ['Okay, that makes sense, but I still feel a bit unsure.', 'Can I come back next month instead?'],
  },
  'full-wig-consultation': {
    name: 'Helen',
    situation: 'lost her hair during medical treatment and wants a full wig that feels like her own',
    concerns: ['comfort all day', 'how it looks up close', 'how to wash and style it'],
    objections: ['I am worried it will be itchy and hot.', 'I do not want everyone to know I am wearing a wig.'],
  },
  'hairline-consultation': {
    name: 'Omar',
    situation: 'has a receding hairline and wants it restored without it looking obvious',
    concerns: ['a realistic hairline', 'how it blends with his own hair', 'how long it lasts'],
    objections: ['I have seen hairlines that look painted on.', 'What if it does not match my hair colour later?'],
  },
  'types-of-patches': {
    name: 'Kevin',
    situation: 'is confused by the different patch types and materials',
    concerns: ['the difference between lace, skin and mono bases', 'which lasts longest', 'which is most breathable'],
    objections: [
      'This is all very technical, just tell me which one to buy.',
      'Why is one so much more expensive than the other?',
    ],
  },
  'upselling-cross-selling': {
    name: 'Grace',
    situation: 'is buying a maintenance service and has not thought about add-ons',
    concerns: ['what she actually needs', 'the value of extras', 'the total cost'],
    objections: ['I only came in for the basic service.', 'I do not want to spend more than I planned.'],
  },
  'retail-sales': {
    name: 'Tom',
    situation: 'browses the care products in store',
    concerns: ['which shampoo is safe for his system', 'how long a bottle lasts', 'the price'],
    objections: ['I can get shampoo at the supermarket for a third of that.', 'I will just order it online later.'],
  },
  'smp-sales': {
    name: 'Ravi',
    situation: 'is interested in scalp micropigmentation but nervous about the process',
    concerns: ['whether it hurts', 'how many sessions', 'how long it lasts', 'the price'],
    objections: ['It is permanent, what if I do not like it?', 'I read that the colour can turn blue over time.'],
  },
  'sales-follow-up': {
    name: 'Laura',
    situation: 'had a consultation two weeks ago and has not decided',
    concerns: ['a reminder of what was proposed', 'any new information', 'no pressure'],
    objections: ['I have been busy, I have not really thought about it.', 'I am still comparing with another clinic.'],
  },
  'general-sales': {
    name: 'Chris',
    situation: 'walks in with a general question and no clear plan',
    concerns: ['what you offer', 'what would suit him', 'the cost'],
    objections: ['I am just browsing really.', 'I need to check my budget first.'],
  },
};

const TONE: Record<Difficulty, { objections: number; closeAfter: number; style: string }> = {
  'new-joining': { objections: 1, closeAfter: 4, style: 'friendly and patient' },
  basic: { objections: 1, closeAfter: 5, style: 'polite but careful' },
  experienced: { objections: 2, closeAfter: 6, style: 'sceptical and comparing offers' },
  expert: { objections: 3, closeAfter: 8, style: 'demanding, interrupts and pushes back hard' },
};

export const OFFLINE_TAG = '(Offline trainer: no AI provider is configured, this customer is scripted.)';

export interface Turn {
  role: 'learner' | 'customer';
  content: string;
}

const QUESTION = /\?|\b(what|how|why|when|which|tell me|could you|would you)\b/i;
const EMPATHY = /\b(understand|i hear you|makes sense|fair point|great question|appreciate)\b/i;
const CLOSE = /\b(book|appointment|schedule|start today|sign up|go ahead|next step|shall we|reserve)\b/i;

/** How the customer of `persona` at `difficulty` introduces themself. */
export function personaBrief(category: Category, difficulty: Difficulty): string {
  const p = PERSONAS[category];
  const t = TONE[difficulty];
  return `${p.name}, a customer who ${p.situation}. Tone: ${t.style}. Cares about: ${p.concerns.join(', ')}. ` +
    `Likely objections: ${p.objections.slice(0, t.objections).join(' / ')}`;
}

/**
 * The scripted customer's next line after the learner's last one: greets, answers questions with
 * its concerns, raises its objections in turn (more of them at higher difficulty), and agrees to
 * a next step once the learner has asked, shown empathy and tried to close.
 */
export function offlineCustomerReply(category: Category, difficulty: Difficulty, transcript: Turn[]): string {
  const p = PERSONAS[category];
  const t = TONE[difficulty];
  const learner = transcript.filter((m) => m.role === 'learner');
  const turn = learner.length;
  const last = learner.at(-1)?.content ?? '';
  const asked = learner.some((m) => QUESTION.test(m.content));
  const empathised = learner.some((m) => EMPATHY.test(m.content));
  const raised =
    transcript.filter((m) => m.role === 'customer' && p.objections.some((o) => m.content.includes(o))).length;

  let line: string;
  if (turn <= 1) {
    line = `Hi, I'm ${p.name}. ` +
      `Mostly I want to know about ${p.concerns[0]}.`;
  } else if (
    CLOSE.test(last) && raised >= t.objections && (asked || difficulty === 'new-joining') &&
    (empathised || difficulty !== 'expert')
  ) {
    line = `Alright, you have answered what I needed. Let's go ahead with the next step.`;
  } else if (raised < t.objections && (turn % 2 === 0 || turn >= t.closeAfter)) {
    line = p.objections[raised]!;
  } else if (QUESTION.test(last)) {
    const concern = p.concerns[Math.min(turn - 1, p.concerns.length - 1)]!;
    line = `Good question. For me the main thing is ${concern}. What can you tell me about that?`;
  } else if (turn >= t.closeAfter) {
    line = `So what would you suggest I do now?`;
  } else {
    const concern = p.concerns[turn % p.concerns.length]!;
    line = `Okay. And what about ${concern}?`;
  }
  return `${line} ${OFFLINE_TAG}`;
}
