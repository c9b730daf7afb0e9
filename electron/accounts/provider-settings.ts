/**
 * What the person set up about providers, in the settings store: the client id chosen for each
 * provider (`providers.clients`) and the custom providers added (`providers.custom`). Both are
 * read through zod schemas: an entry that does not parse is left out (and kept in the file as it
 * was), so one damaged entry neither stops start-up nor hides the other providers.
 */
import { z } from 'zod';
import { providerDefinitionSchema, type ProviderDefinition } from '../oauth/provider-definition';
import type { Logger } from '../shared/logger';
import type { KeyValueStore } from '../shared/ports';
import { createStoredList } from '../shared/stored-list';

const CLIENTS_KEY = 'providers.clients';
const CUSTOM_KEY = 'providers.custom';

const storedClientSchema = z.object({ clientId: z.string().min(1) });

/** Builds the reader and writer of the person's provider settings. */
export function createProviderSettings(store: KeyValueStore, logger?: Logger) {
  const customs = createStoredList({
    store,
    key: CUSTOM_KEY,
    schema: providerDefinitionSchema,
    label: 'custom providers',
    logger,
  });

  // The whole stored map, entries this version cannot read included, so a write keeps them.
  function storedClients(): Record<string, unknown> {
    const value = store.get(CLIENTS_KEY);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
  }

  return {
    /** The client id the person entered for the provider, if any (and readable). */
    clientIdOf(providerId: string): string | undefined {
      const clients = storedClients();
      if (!Object.hasOwn(clients, providerId)) return undefined;
      const parsed = storedClientSchema.safeParse(clients[providerId]);
      if (!parsed.success) logger?.warn('a stored client id cannot be read', { providerId });
      return parsed.success ? parsed.data.clientId : undefined;
    },
    setClientId(providerId: string, clientId: string): void {
      store.set(CLIENTS_KEY, { ...storedClients(), [providerId]: { clientId } });
    },
    /** The custom providers that can be read. */
    customProviders: (): ProviderDefinition[] => customs.list(),
    addCustomProvider: (provider: ProviderDefinition): void => customs.put(provider),
  };
}

/** Client ids and custom providers as the person set them up. */
export type ProviderSettings = ReturnType<typeof createProviderSettings>;
