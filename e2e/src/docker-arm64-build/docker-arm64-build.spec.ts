// docker-arm64-build against the real engine. One spec file on purpose: in one jest process (--runInBand), a
// second test file that reaches execa's dynamic import after a file that loaded @nx/devkit fails inside
// jest-runtime ("reading 'identifier'"), so the cases share a file (see the report to the lead).
import { buildCases } from './build-cases';
import { cacheCases } from './cache-cases';

buildCases();
cacheCases();
