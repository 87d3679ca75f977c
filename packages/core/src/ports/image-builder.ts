/** What to build: a directory and its Dockerfile (relative to it), with a target stage and build args. */
export interface ImageBuildInput {
  context: string;
  dockerfile?: string;
  /** A generated Dockerfile (the zero-config builder): added to the context as `dockerfile`. */
  dockerfileContent?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  /** `registry/name:tag` to give the image, from which it is pushed. */
  tag: string;
}

/** Registry credentials (secrets); loopback registries need none. */
export interface RegistryAuth {
  username: string;
  password: string;
}

/**
 * The ImageBuilder port: builds an image from a context and pushes it to an OCI registry, where releases pin it by
 * digest (`name@sha256:…`), never by tag. `onLog` receives the build's and the push's output lines.
 */
export interface ImageBuilder {
  build(input: ImageBuildInput, onLog?: (line: string) => void, signal?: AbortSignal): Promise<{ imageId: string }>;
  push(tag: string, auth?: RegistryAuth, onLog?: (line: string) => void): Promise<{ digest: string; reference: string }>;
  /** The local image of that name (a base image): its id, or undefined when the daemon does not have it. */
  inspect(name: string): Promise<{ id: string } | undefined>;
}
