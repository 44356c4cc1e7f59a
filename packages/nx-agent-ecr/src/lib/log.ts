// The executors' logger: Nx's own (the same colours, and the Nx daemon's log when running there), without the
// ~450 modules that importing it from @nx/devkit loads into every executor process.
export { logger } from 'nx/src/utils/logger';
