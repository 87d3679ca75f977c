export { createOciRegistry, type OciRegistryOptions } from './oci-registry.js';
