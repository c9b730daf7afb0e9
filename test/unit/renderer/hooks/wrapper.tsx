/** Renders a hook over the fake bridge, as the views get it from ApiProvider. */
import { cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach } from 'vitest';
import { ApiProvider } from '../../../../renderer/src/api';
import { createFakeApi, type FakeApi, type FakeState } from '../../../fakes/fake-api';

afterEach(() => cleanup());

export function renderWithApi<Result, Props>(
  hook: (props: Props) => Result,
  options: { initial?: Partial<FakeState>; setup?: (fake: FakeApi) => void; initialProps?: Props } = {},
) {
  const fake = createFakeApi(options.initial);
  options.setup?.(fake);
  const wrapper = ({ children }: { children: ReactNode }) => <ApiProvider api={fake.api}>{children}</ApiProvider>;
  const rendered =
    options.initialProps === undefined
      ? renderHook(hook, { wrapper })
      : renderHook(hook, { wrapper, initialProps: options.initialProps });
  return { fake, ...rendered };
}
