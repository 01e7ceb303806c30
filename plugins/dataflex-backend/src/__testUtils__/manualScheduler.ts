import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';

type ScheduledTask = SchedulerServiceTaskInvocationDefinition &
  SchedulerServiceTaskScheduleDefinition;

/**
 * A scheduler that keeps the tasks plugins schedule and runs one only when
 * the test calls `runTask`, so that a janitor or expiry pass happens exactly
 * when the test wants it. Unlike Backstage's mock scheduler, it never runs
 * tasks at startup and a failing task fails `runTask`.
 */
export function createManualScheduler() {
  const tasks = new Map<string, ScheduledTask>();
  const keep = async (task: ScheduledTask) => {
    tasks.set(task.id, task);
  };

  /** Runs the task's function once, as the scheduler would. */
  async function runTask(id: string) {
    const task = tasks.get(id);
    if (!task) {
      throw new NotFoundError(`No task ${id} was scheduled`);
    }
    await task.fn(new AbortController().signal);
  }

  const scheduler: SchedulerService = {
    scheduleTask: keep,
    createScheduledTaskRunner: schedule => ({
      run: async task => keep({ ...task, ...schedule }),
    }),
    async getScheduledTasks() {
      return [...tasks.values()].map(task => ({
        id: task.id,
        scope: task.scope ?? 'global',
        settings: { version: 1 },
      }));
    },
    triggerTask: runTask,
    async cancelTask() {},
  };

  const factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () => scheduler,
  });
  return { factory, runTask };
}
