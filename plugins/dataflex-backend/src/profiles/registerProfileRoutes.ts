import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { createOpenApiRouter } from '../schema/openapi';
import { ProfileService } from './ProfileService';

export interface ProfileRoutesOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  profiles: ProfileService;
}

/**
 * The profile routes, on the plugin's OpenAPI-validated router. Only
 * signed-in users have profiles or see other people's.
 */
export function registerProfileRoutes(
  api: Awaited<ReturnType<typeof createOpenApiRouter>>,
  options: ProfileRoutesOptions,
) {
  const { httpAuth, auditor, profiles } = options;

  api.get('/profiles/me', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await profiles.getOwn(credentials));
  });

  api.put('/profiles/me', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    // Only field names and visibilities are audited: the values are the
    // user's own words, some of them private.
    const event = await auditor.createEvent({
      eventId: 'profile-update',
      request: req,
      meta: { user: credentials.principal.userEntityRef },
    });
    try {
      const { profile, changed } = await profiles.updateOwn(
        credentials,
        req.body,
      );
      await event.success({
        meta: {
          user: profile.userEntityRef,
          changed,
          visibility: { ...profile.visibility },
        },
      });
      res.json(profile);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  api.get('/profiles/by-owner', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await profiles.getByOwner(credentials, req.query.entityRef));
  });

  api.get('/profiles/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await profiles.getPublic(credentials, {
        namespace: req.params.namespace,
        name: req.params.name,
      }),
    );
  });
}
