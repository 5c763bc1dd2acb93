// Manual identity linking, GoTrue's api/identity.go behind `enable_manual_linking`:
// GET /user/identities/authorize (linkIdentity: the provider's consent URL) and
// DELETE /user/identities/{id} (unlinkIdentity, never the last identity). With linking off both
// answer 404 manual_linking_disabled.
import { Hono } from 'hono';
import type { GatewayEnv } from '../../kit/service.ts';
import { audit } from '../audit.ts';
import { requireUser } from '../authn.ts';
import { type Query, UUID } from '../db.ts';
import type { AuthDeps } from '../deps.ts';
import { AuthError, ErrorCode, forbidden, notFound, unprocessable } from '../errors.ts';
import { requestAud, type Ctx } from '../http.ts';
import { clearOneTimeTokens, findUserByEmail, updateAppMetadataProviders, updateUser, updateUserMetadata, type IdentityRow, type User } from '../users.ts';
import { externalProviderRedirect } from './meta.ts';


function requireManualLinking(deps: AuthDeps): void {
  if (!deps.settings.manualLinking) throw notFound(ErrorCode.manualLinkingDisabled, 'Manual linking is disabled');
}

const identityEmail = (i: IdentityRow) => (i.email ?? '').toLowerCase();
const emailVerified = (i: IdentityRow) => i.identity_data?.email_verified === true;

/**
 * UpdateUserEmailFromIdentities: when no remaining identity carries the user's email, the best
 * remaining one (verified email, then unverified, then none; oldest first) becomes primary.
 */
async function updateEmailFromIdentities(deps: AuthDeps, q: Query, user: User): Promise<void> {
  const identities = await q<IdentityRow>('select * from auth.identities where user_id = $1', [user.id]);
  if (identities.some((i) => identityEmail(i) === user.email.toLowerCase())) return;
  const rank = (i: IdentityRow) => (identityEmail(i) === '' ? 2 : emailVerified(i) ? 0 : 1);
  identities.sort((a, b) => rank(a) - rank(b) || String(a.created_at).localeCompare(String(b.created_at)) || a.id.localeCompare(b.id));
  let primary: IdentityRow | undefined;
  for (const i of identities) {
    const taken = identityEmail(i) ? await findUserByEmail(q, identityEmail(i), user.aud) : undefined;
    if (!taken) {
      primary = i;
      break;
    }
  }
  if (!primary) throw unprocessable(ErrorCode.emailConflictIdentityNotDeletable, 'Unable to unlink identity due to email conflict');
  await updateUser(q, user, {
    email: identityEmail(primary) || null,
    confirmation_token: '',
    recovery_token: '',
    email_change_token_current: '',
    email_change_token_new: '',
    email_change: '',
    reauthentication_token: '',
    phone_change_token: '',
  });
  await clearOneTimeTokens(q, user.id);
  if (identityEmail(primary) === '' || (!emailVerified(primary) && !deps.settings.email.autoconfirm)) {
    await updateUser(q, user, { email_confirmed_at: null });
    await updateUserMetadata(q, user, { email_verified: false });
  }
}

export function identityRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  app.get('/user/identities/authorize', async (c) => {
    const { user } = await requireUser(c, deps);
    requireManualLinking(deps);
    // The same refusal as /authorize: no OAuth provider can be reached from the local stack.
    return externalProviderRedirect(c, deps, user);
  });

  app.delete('/user/identities/:id', async (c: Ctx) => {
    const { claims, user } = await requireUser(c, deps);
    requireManualLinking(deps);
    const id = c.req.param('id') ?? '';
    if (!UUID.test(id)) throw notFound(ErrorCode.validationFailed, 'identity_id must be an UUID');
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    if (!aud || requestAud(c, deps.settings) !== aud) {
      throw forbidden(ErrorCode.unexpectedAudience, "Token audience doesn't match request audience");
    }
    if (user.identities.length <= 1) {
      throw unprocessable(ErrorCode.singleIdentityNotDeletable, 'User must have at least 1 identity after unlinking');
    }
    const identity = user.identities.find((i) => i.id === id);
    if (!identity) throw unprocessable(ErrorCode.identityNotFound, "Identity doesn't exist");
    await deps.db.tx(async (q) => {
      await audit(q, user, 'identity_unlinked', { identity_id: identity.id, provider: identity.provider, provider_id: identity.provider_id });
      await q('delete from auth.identities where id = $1', [identity.id]);
      if (identity.provider === 'phone') {
        await updateUser(q, user, { phone: null, phone_confirmed_at: null });
      } else {
        try {
          await updateEmailFromIdentities(deps, q, user);
        } catch (e) {
          if (e instanceof AuthError) throw e;
          if ((e as { code?: string }).code === '23505') {
            throw unprocessable(ErrorCode.emailConflictIdentityNotDeletable, 'Unable to unlink identity due to email conflict');
          }
          throw e;
        }
      }
      await updateAppMetadataProviders(q, user);
    });
    return c.json({});
  });

  return app;
}
