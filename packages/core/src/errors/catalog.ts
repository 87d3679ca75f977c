/**
 * The closed catalog of Slipway error codes. Each code maps to exactly one HTTP status and one CLI exit code.
 * docs/reference/errors.md is generated from this table; a test keeps them in step.
 */
export const errorCatalog = {
  SLW_CONFIG_INVALID: { http: 422, exit: 2, title: 'Configuration is invalid', hint: 'Fix the field named in the message; `slipway validate` lists every error.' },
  SLW_CONFIG_YAML: { http: 422, exit: 2, title: 'Configuration is not valid YAML', hint: 'Check indentation and quoting at the position shown.' },
  SLW_CONFIG_NOT_FOUND: { http: 404, exit: 2, title: 'Configuration file not found', hint: 'Run `slipway init` to create slipway.yaml, or pass the path to it.' },
  SLW_CONFIG_UNKNOWN_KEY: { http: 422, exit: 2, title: 'Unknown key in configuration', hint: 'Remove the key or fix its spelling; the message lists the valid keys.' },
  SLW_CONFIG_REFERENCE: { http: 422, exit: 2, title: 'Configuration refers to something that does not exist', hint: 'Name an existing service or environment.' },
  SLW_WORKFLOW_INVALID: { http: 422, exit: 2, title: 'Workflow is invalid', hint: 'Fix the workflow file at the position shown.' },
  SLW_WORKFLOW_EXPRESSION: { http: 422, exit: 2, title: 'Invalid expression', hint: 'Fix the ${{ }} expression at the position shown; the message quotes it.' },
  SLW_ACTION_NOT_FOUND: { http: 422, exit: 1, title: 'An action cannot be found', hint: 'Local actions need a checkout first; remote actions must be in the local action cache.' },
  SLW_SECRET_MISSING: { http: 422, exit: 1, title: 'A secret the workflow needs is not set', hint: 'Set it with `slipway secrets set <name>`, or pass it to `slipway run` with --secret-file.' },
  SLW_USAGE: { http: 400, exit: 64, title: 'Invalid command-line usage', hint: 'Run the command with --help to see its options.' },
  SLW_API_BAD_REQUEST: { http: 400, exit: 65, title: 'The request is malformed', hint: 'Check the request body against /api/openapi.json.' },
  SLW_AUTH_REQUIRED: { http: 401, exit: 77, title: 'Authentication required', hint: 'Pass an API token with --token or SLIPWAY_TOKEN (create one with `slipway tokens create`).' },
  SLW_AUTH_FORBIDDEN: { http: 403, exit: 77, title: 'Your role does not allow this', hint: 'Ask an admin for a token with a role that allows it (viewer < deployer < approver < admin).' },
  SLW_AUTH_NOT_CONFIGURED: { http: 500, exit: 78, title: 'Authentication is not configured', hint: 'Create an admin token with `slipway tokens create --role admin` before binding beyond loopback.' },
  SLW_WEBHOOK_UNVERIFIED: { http: 401, exit: 77, title: 'A webhook delivery failed its signature or token check', hint: 'Give the git host and Slipway the same secret: `slipway secrets set WEBHOOK_SECRET --project <project>`, then paste that value into the webhook\'s secret (GitLab: secret token). The event webhook.rejected says why.' },
  SLW_NOT_FOUND: { http: 404, exit: 66, title: 'Not found', hint: 'Check the id; list what exists with the matching list command.' },
  SLW_CONFLICT: { http: 409, exit: 75, title: 'Conflicts with the current state', hint: 'Reload the current state and try again.' },
  SLW_PROJECT_EXISTS: { http: 409, exit: 75, title: 'A project with that name already exists', hint: 'Choose another name with --name, or use the existing project.' },
  SLW_SOURCE_UNREACHABLE: { http: 502, exit: 69, title: 'The git source cannot be reached', hint: 'Check the URL, the network and the credentials.' },
  SLW_SOURCE_FAILED: { http: 502, exit: 69, title: 'A git operation failed', hint: 'The message includes git\'s own output.' },
  SLW_RUN_FAILED: { http: 500, exit: 1, title: 'A run failed', hint: 'See `slipway logs <run>` for the failing step.' },
  SLW_DEPLOY_FAILED: { http: 500, exit: 1, title: 'A deployment failed', hint: 'See `slipway events` and the service logs.' },
  SLW_HEALTH_CHECK_FAILED: { http: 500, exit: 1, title: 'A health check failed', hint: 'The service did not answer its health check in time; check its logs and `health` settings.' },
  SLW_DRIVER_CONTRACT: { http: 500, exit: 70, title: 'A target driver broke its contract', hint: 'This is a bug in the driver; report it with the message.' },
  SLW_STORE_UNAVAILABLE: { http: 503, exit: 69, title: 'The database cannot be reached', hint: 'Check --database and that the server is running.' },
  SLW_STORE_LOCKED: { http: 503, exit: 75, title: 'The data directory is in use by another server', hint: 'Stop the other server, or use another --data-dir.' },
  SLW_SERVER_UNREACHABLE: { http: 503, exit: 69, title: 'The Slipway server cannot be reached', hint: 'Start it with `slipway server`, or pass --server with its URL.' },
  SLW_LEASE_LOST: { http: 409, exit: 75, title: 'The lease on a job was lost', hint: 'Another worker took the job over; it will be retried.' },
  SLW_SECRET_NAME_INVALID: { http: 400, exit: 64, title: 'Secret name is invalid', hint: 'Use letters, digits and underscores, not starting with a digit or GITHUB_ (for example NPM_TOKEN).' },
  SLW_SECRET_KEY_INVALID: { http: 500, exit: 78, title: 'The secret key is missing, malformed or unprotected', hint: 'Set SLIPWAY_SECRET_KEY to 32 random bytes in base64 or hex (`openssl rand -base64 32`), or fix the mode of <data dir>/secret.key with `chmod 600`.' },
  SLW_SECRET_UNREADABLE: { http: 500, exit: 78, title: 'A stored secret cannot be decrypted', hint: 'It was sealed with another key or changed in the database: start the server with the key that sealed it, or set the secret again.' },
  SLW_GIT_HOST_FAILED: { http: 502, exit: 69, title: 'The git host API refused or failed a request', hint: 'Check the project secret GIT_HOST_TOKEN (its scopes allow commit statuses and comments), the host API URL and the repository with `slipway projects set-host`; the message has the host\'s HTTP status.' },
  SLW_NOTIFY_FAILED: { http: 502, exit: 69, title: 'A notification could not be sent', hint: 'Check the project secret NOTIFY_WEBHOOK_URL; the message has the HTTP status. Deploys never wait for notifications.' },
  SLW_IMAGE_BUILD_FAILED: { http: 422, exit: 65, title: 'An image build failed', hint: 'Read the build output; FROM images must exist locally (scripts/build-base-image.sh builds slipway/node:20).' },
  SLW_IMAGE_PUSH_FAILED: { http: 502, exit: 69, title: 'An image could not be pushed to the registry', hint: 'Check the registry address and its credentials.' },
  SLW_KUBERNETES_FAILED: { http: 502, exit: 69, title: 'The Kubernetes API refused or failed a request', hint: 'Check the kubeconfig (the target\'s `cluster` secret, or KUBECONFIG), its context and the namespace; the message has the API server\'s status and reason.' },
  SLW_REGISTRY_FAILED: { http: 502, exit: 69, title: 'The registry refused a request', hint: 'Check `images.registry` in slipway.yaml and the project secrets REGISTRY_USERNAME and REGISTRY_PASSWORD; the message has the HTTP status.' },
  SLW_ROLLOUT_ABORTED: { http: 409, exit: 1, title: 'A rollout was aborted', hint: 'Its measurements say why (`slipway rollouts --json`); the release is held in that environment until a newer one passes.' },
  SLW_PROVENANCE_INVALID: { http: 422, exit: 65, title: 'A provenance does not verify', hint: 'Run `slipway verify <release>` for the details. Rebuild from the commit to get a fresh, signed image; never edit a release.' },
  SLW_GIT_HOST_INVALID: { http: 422, exit: 2, title: 'The git host settings are incomplete', hint: 'Pass --host-api with the API base URL and --host-repo with owner/repo (GitLab: the project path or id) when the repository URL does not tell them.' },
  SLW_DEV_CLUSTER: { http: 503, exit: 69, title: 'The dev cluster failed to start or stop', hint: 'Read the component log the message names (under the state directory, logs/); `slipway dev-cluster down` cleans up, and scripts/dev-cluster/build.sh builds missing binaries.' },
  SLW_INTERNAL: { http: 500, exit: 70, title: 'Internal error', hint: 'This is a Slipway bug. Please report it with the output of the command.' },
} as const satisfies Record<string, { http: number; exit: number; title: string; hint: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/** Exit codes that are not tied to an error code. */
export const exitCodes = { ok: 0, failure: 1 } as const;
