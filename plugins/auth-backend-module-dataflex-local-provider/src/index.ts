/**
 * DataFlex local accounts for the Backstage auth backend: username and
 * password sign-in with cookie sessions, lockout and audit.
 *
 * @packageDocumentation
 */

export { authModuleDataflexLocalProvider as default } from './module';
