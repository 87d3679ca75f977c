import { rm } from 'node:fs/promises';
import { serviceDir } from './paths.js';
import { stopGroup } from './process-group.js';
import { stopGraceMs } from './replace.js';
import { instancesOf, type ServiceRuntime, type ServiceTable } from './service-table.js';

/** Stops every instance of a service, closes its proxy, forgets it and deletes its logs. Unknown services are a no-op. */
export async function deleteService(table: ServiceTable, stateDir: string, environment: string, service: string): Promise<void> {
  const runtime = table.get(environment, service);
  if (!runtime) return;
  await stopInstances(table, runtime);
  await table.remove(runtime);
  await rm(serviceDir(stateDir, environment, service), { recursive: true, force: true });
}

/** Takes a service's traffic away and stops its instances; the service and its stable port stay known. */
export async function stopInstances(table: ServiceTable, runtime: ServiceRuntime): Promise<void> {
  runtime.proxy?.setUpstream(null);
  runtime.proxy?.setCanary(null);
  if (runtime.warm) clearTimeout(runtime.warm.timer);
  const instances = [...instancesOf(runtime.record), ...(runtime.pending ? [runtime.pending] : []), ...(runtime.canary ?? []), ...(runtime.warm?.instances ?? [])];
  runtime.canary = undefined;
  runtime.warm = undefined;
  delete runtime.record.standby;
  await Promise.all(instances.map((i) => stopGroup(i.pid, i.id, stopGraceMs)));
  for (const i of instances) table.exits.delete(i.id);
  table.setInstance(runtime, null);
}
