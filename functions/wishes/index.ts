import { ROUTES } from '#routes/wishes';
import * as c from '../../shared/contract/wishes.ts';
import { httpFunction, route } from '../../shared/http/api.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import * as svc from '../../shared/services/wishes.ts';

/** The micro-wishes context: post, review, the wall, suggestions, claim, take on, complete, confirm, events. */
export const handler = httpFunction(
  ROUTES,
  [
    route(c.postWish, ({ caller, body }) => svc.postWish(caller, body)),
    route(c.listMyWishes, ({ caller, query }) => svc.listMyWishes(caller, query.limit, query.cursor)),
    route(c.listWishes, ({ caller, query }) => svc.listWishes(caller, query)),
    route(c.suggestedWishes, ({ caller, query }) => svc.suggested(caller, query.limit)),
    route(c.getWish, ({ caller, params }) => svc.getWish(caller, params.wishId)),
    route(c.listWishEvents, ({ caller, params, query }) =>
      svc.listEvents(caller, params.wishId, query.limit, query.cursor),
    ),
    route(c.reviewWish, ({ caller, params, body }) => svc.review(caller, params.wishId, body)),
    route(c.withdrawWish, ({ caller, params }) => svc.withdraw(caller, params.wishId)),
    route(c.claimWish, ({ caller, params }) => svc.claim(caller, params.wishId)),
    route(c.releaseWish, ({ caller, params }) => svc.release(caller, params.wishId)),
    route(c.takeOnWish, ({ caller, params }) => svc.takeOn(caller, params.wishId)),
    route(c.completeWish, ({ caller, params, body }) => svc.complete(caller, params.wishId, body)),
    route(c.confirmWish, ({ caller, params, body }) => svc.confirm(caller, params.wishId, body)),
  ],
  { idempotency: withIdempotency },
);
