/**
 * Guardrail 2: sensitive categories, defence in depth. Enrich drops sensitive signals and score
 * drops them again and refuses disallowed life events; notify checks once more, with the same
 * classifier (shared/privacy/sensitive.ts: the same normalisation and lexicon), because a
 * configuration change, a replay or a bug upstream must never turn into a message about someone's
 * health or beliefs. A moment is refused when any of its texts (the trigger's event, every
 * reason's feature, the life event type) or the rendered message carries a sensitive term, or
 * when it is a life event of a type not allowed.
 */
import { classifySensitive, classifySensitiveText } from '../privacy/sensitive';
import type { SensitiveCategory } from '../config/types';
import type { MomentDetectedDetail } from '../contracts/events';
import { ALLOW, stop, type GuardrailContext, type Verdict } from './types';

export interface RenderedText {
  title: string;
  body: string;
}

function momentTouchesSensitive(moment: MomentDetectedDetail, sensitive: Record<string, SensitiveCategory>): boolean {
  const hit = classifySensitive(
    {
      event: moment.trigger.event,
      contentCategories: moment.reasons.filter((r) => r.kind === 'content').map((r) => r.feature),
      // Each reason is a text of its own: a phrase never spans two of them.
      texts: moment.reasons.map((r) => r.feature),
      ...(moment.lifeEventType !== undefined ? { lifeEventType: moment.lifeEventType } : {}),
    },
    sensitive,
  );
  return hit !== undefined;
}

export function checkSensitive(ctx: Pick<GuardrailContext, 'moment' | 'config'>, rendered?: RenderedText): Verdict {
  const { moment, config } = ctx;
  if (moment.intent === 'life-event') {
    const type = moment.lifeEventType;
    if (!type || !config.scoring.lifeEvents.allowedTypes.includes(type)) return stop('SENSITIVE_CATEGORY');
  }
  if (momentTouchesSensitive(moment, config.sensitive)) return stop('SENSITIVE_CATEGORY');
  if (rendered && (classifySensitiveText(rendered.title, config.sensitive) || classifySensitiveText(rendered.body, config.sensitive))) {
    return stop('SENSITIVE_CATEGORY');
  }
  return ALLOW;
}
