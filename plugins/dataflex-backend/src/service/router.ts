import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { HealthService } from './HealthService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  health: HealthService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, health } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const result = await health.check();
    res.status(result.status === 'ok' ? 200 : 503).json(result);
  });

  return router;
}
