/**
 * Loaded before every e2e suite (jest setupFiles, after test-env.ts): staff keys made in these suites use
 * cheap Argon2 (libs/crypto useCheapKeyProtectionInTests). The suites make and sign in hundreds of users
 * and test what happens, not what it costs; unit tests and `npm run bench` keep the real parameters.
 */
import { useCheapKeyProtectionInTests } from '@nolan/crypto';

useCheapKeyProtectionInTests();
