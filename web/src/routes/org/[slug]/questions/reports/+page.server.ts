import { z } from 'zod';
import { requireSection } from '$lib/server/org-access.ts';
import { moderate } from '../questions.server.ts';
import type { Actions, PageServerLoad } from './$types';

const show = z.enum(['open', 'handled']).catch('open');

export const load: PageServerLoad = async (event) => {
  const { org } = requireSection(await event.parent(), 'questions');
  const view = show.parse(event.url.searchParams.get('show') ?? undefined);
  let query = event.locals.supabase
    .from('question_reports')
    .select('id, question_id, reason, details, status, moderator_note, created_at, resolved_at, questions(stem, version, status), profiles!question_reports_reporter_id_fkey(display_name, username)')
    .eq('organization_id', org.id)
    .limit(100);
  query = view === 'open' ? query.eq('status', 'open').order('created_at', { ascending: true }) : query.neq('status', 'open').order('resolved_at', { ascending: false });
  const [reports, openCount] = await Promise.all([
    query,
    event.locals.supabase.from('question_reports').select('id', { count: 'exact', head: true }).eq('organization_id', org.id).eq('status', 'open'),
  ]);
  return {
    org,
    view,
    openReports: openCount.count ?? 0,
    reports: reports.error
      ? null
      : reports.data.map((r) => ({
          id: r.id,
          question_id: r.question_id,
          reason: r.reason,
          details: r.details,
          status: r.status,
          moderator_note: r.moderator_note,
          created_at: r.created_at,
          resolved_at: r.resolved_at,
          question: r.questions,
          reporter: r.profiles?.display_name ?? r.profiles?.username ?? 'A learner',
        })),
  };
};

export const actions: Actions = { moderate };
