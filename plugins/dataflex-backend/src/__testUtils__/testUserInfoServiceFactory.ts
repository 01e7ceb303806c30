import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/**
 * Stands in for sign-in's ownership resolution: each user owns through
 * themselves and the groups listed for them.
 */
export function testUserInfoServiceFactory(
  groupsByUser: Record<string, string[]>,
) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials) {
        const principal = credentials.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type !== 'user' || !principal.userEntityRef) {
          throw new InputError('User info is only available for users');
        }
        return {
          userEntityRef: principal.userEntityRef,
          ownershipEntityRefs: [
            principal.userEntityRef,
            ...(groupsByUser[principal.userEntityRef] ?? []),
          ],
        };
      },
    }),
  });
}
