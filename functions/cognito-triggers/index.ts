import type { Context } from 'aws-lambda';
import { RESIDENT_SIGNED_UP_DETAIL_TYPE, CITY_EVENT_SOURCE } from '../../shared/config/city.ts';
import { nowIso } from '../../shared/domain/clock.ts';
import { publisher } from '../../shared/events/publisher.ts';
import { createLogger, errorFields } from '../../shared/http/logger.ts';
import { userPool } from '../../shared/identity/cognito.ts';
import { checkSignUp, confirmSignUp, groupsForToken } from '../../shared/services/sign-up.ts';

/**
 * The city user pool's triggers (the City stack):
 * - PreSignUp: the district chosen at sign-up (custom:signUpDistrict) must be one this deployment
 *   serves (the city's directory of districts, read at run time); otherwise the sign-up fails with
 *   the reason.
 * - PostConfirmation: the user becomes a resident of that district (group `resident` and
 *   custom:district, at once), then ResidentSignedUp goes to the district over the city bus, whose
 *   identity function records it (roles record, audit entry).
 * - PreTokenGeneration: admin groups are withheld from the tokens of a user without MFA set up.
 * Each answers with the event, as Cognito expects; a throw fails the user's request.
 */
interface TriggerEvent {
  triggerSource: string;
  userPoolId: string;
  userName: string;
  request: {
    userAttributes?: Record<string, string>;
    groupConfiguration?: { groupsToOverride?: string[] };
  };
  response: Record<string, unknown>;
}

export async function handler(event: TriggerEvent, context?: Pick<Context, 'awsRequestId'>): Promise<TriggerEvent> {
  const log = createLogger({ awsRequestId: context?.awsRequestId, trigger: event.triggerSource });
  const attributes = event.request.userAttributes ?? {};
  try {
    if (event.triggerSource.startsWith('PreSignUp_')) {
      await checkSignUp(attributes);
    } else if (event.triggerSource === 'PostConfirmation_ConfirmSignUp') {
      const district = await confirmSignUp(userPool(event.userPoolId), event.userName, attributes);
      const sub = attributes.sub ?? event.userName;
      await publisher(CITY_EVENT_SOURCE).publish(RESIDENT_SIGNED_UP_DETAIL_TYPE, { sub, district, at: nowIso() });
      log.info('resident signed up', { district });
    } else if (event.triggerSource.startsWith('TokenGeneration_')) {
      const groups = event.request.groupConfiguration?.groupsToOverride ?? [];
      const allowed = await groupsForToken(userPool(event.userPoolId), event.userName, groups);
      if (allowed.length !== groups.length) {
        event.response.claimsOverrideDetails = { groupOverrideDetails: { groupsToOverride: allowed } };
        log.info('admin groups withheld: no MFA set up', { withheld: groups.filter((g) => !allowed.includes(g)) });
      }
    }
    return event;
  } catch (err) {
    // A refused sign-up is the user's mistake (said to them); anything else is ours.
    if (event.triggerSource.startsWith('PreSignUp_')) log.info('sign-up refused', errorFields(err));
    else log.error('trigger failed', errorFields(err));
    throw err;
  }
}
