import { z } from 'zod';
import { envMap, nonEmpty, strictObject } from './schema-primitives.js';

const credentialsSchema = strictObject({
  username: z.string().optional().describe('User name for the registry.'),
  password: z.string().optional().describe('Password or token for the registry; use a secret.'),
}).describe('Registry credentials. Accepted for compatibility: Slipway builds images locally and pulls nothing.');

const containerShape = {
  image: nonEmpty.describe('The image to run.'),
  env: envMap.optional().describe('Environment variables of the container.'),
  ports: z
    .array(z.union([z.string(), z.number()], { error: 'expected a port such as 8080 or "8080:80"' }).transform(String))
    .optional()
    .describe('Ports to publish: "containerPort" or "hostPort:containerPort".'),
  volumes: z.array(nonEmpty).optional().describe('Volumes to mount: "name:/path" or "/host/path:/path".'),
  options: z.string().optional().describe('Extra options of `docker create`.'),
  credentials: credentialsSchema.optional(),
};

/** `container: node:20` is short for `container: { image: node:20 }`. */
const imageShorthand = (value: unknown) => (typeof value === 'string' ? { image: value } : value);

/** `container:` the job container that runs every step of the job; given back as a map with `image`. */
export const containerSchema = z
  .preprocess(imageShorthand, strictObject(containerShape, 'expected an image name or a map with image'))
  .describe('The container the steps of the job run in: an image name, or a map with image and its settings.');

/** One entry of `services:`: a sidecar container on the job's network; given back as a map with `image`. */
export const serviceSchema = z
  .preprocess(
    imageShorthand,
    strictObject(
      {
        ...containerShape,
        entrypoint: z.string().optional().describe("Replaces the image's ENTRYPOINT."),
        command: z.string().optional().describe("Replaces the image's CMD."),
      },
      'expected an image name or a map with image',
    ),
  )
  .describe('A service container the job reaches by its name (in a job container) or on localhost (on the host).');

