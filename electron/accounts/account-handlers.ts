/**
 * The account and provider channels of the IPC contract, each mapped onto one method of the
 * account service and nothing else (the router has parsed the request already).
 */
import type { Handlers } from '../ipc/router';
import type { AccountService } from './account-service';

type AccountChannels =
  | 'providers:list'
  | 'providers:setClient'
  | 'providers:discover'
  | 'providers:addCustom'
  | 'accounts:list'
  | 'accounts:add'
  | 'accounts:cancelSignIn'
  | 'accounts:reauthorize'
  | 'accounts:update'
  | 'accounts:setExtraCa'
  | 'accounts:remove'
  | 'accounts:signOutAll';

/** The handler table of the account channels. */
export function accountHandlers(accounts: AccountService): Pick<Handlers, AccountChannels> {
  return {
    'providers:list': async () => accounts.listProviders(),
    'providers:setClient': async (request) => accounts.setProviderClient(request),
    'providers:discover': async (request) => accounts.discoverProvider(request),
    'providers:addCustom': async (request) => accounts.addCustomProvider(request),
    'accounts:list': async () => accounts.list(),
    'accounts:add': async (request) => accounts.add(request),
    'accounts:cancelSignIn': async (request) => accounts.cancelSignIn(request),
    'accounts:reauthorize': async (request) => accounts.reauthorize(request),
    'accounts:update': async (request) => accounts.update(request),
    'accounts:setExtraCa': async (request) => accounts.setExtraCa(request),
    'accounts:remove': async (request) => accounts.remove(request),
    'accounts:signOutAll': async (request) => accounts.signOutAll(request),
  };
}
