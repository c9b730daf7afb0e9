// Testing Library's waitFor/findBy give up after 1 s by default. The first render in a fresh
// jsdom worker on a busy 2-core machine can take longer than that, which failed tests that were
// right. Waiting stays event-driven (it resolves as soon as the DOM matches); only the
// give-up point moves.
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 5_000 });
