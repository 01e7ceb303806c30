import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import dataflexPlugin from '@dataflex/backstage-plugin-dataflex/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    dataflexPlugin,
    // The sidebar renders components from these plugins, so they are listed
    // here rather than left to package discovery.
    notificationsPlugin,
    searchPlugin,
    userSettingsPlugin,
    navModule,
    signInModule,
  ],
});
