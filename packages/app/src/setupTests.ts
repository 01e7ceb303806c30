import { configure } from '@testing-library/react';
import '@testing-library/jest-dom';

// The default 1 s for findBy* is too tight on a small machine running the
// whole suite; a real failure still fails, just later.
configure({ asyncUtilTimeout: 10_000 });
