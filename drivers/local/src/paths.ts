import { join } from 'node:path';

/** `<stateDir>/<environment>/<service>`: the directory of a service's logs. */
export function serviceDir(stateDir: string, environment: string, service: string): string {
  return join(stateDir, segment(environment), segment(service));
}

/** `<stateDir>/<environment>/<service>/<instanceId>.log`. */
export function logFile(stateDir: string, environment: string, service: string, instanceId: string): string {
  return join(serviceDir(stateDir, environment, service), `${segment(instanceId)}.log`);
}

// Names come from validated config, but a path must never escape the state directory whatever they contain.
function segment(name: string): string {
  return name === '.' || name === '..' ? name.replaceAll('.', '%2E') : encodeURIComponent(name);
}
