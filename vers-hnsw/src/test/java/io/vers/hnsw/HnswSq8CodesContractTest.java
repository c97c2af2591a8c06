package io.vers.hnsw;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole contract kit on {@code quantization=sq8}, {@code keepVectors=false}, except the checks that
 * compare returned distances or recall with the original float vectors: this configuration holds only
 * the codes and returns the distances to the vectors they stand for, which differ from the original
 * distances by more than the kit's tolerance of 1e-3 (see {@link CodeDistances}). Recall thresholds are
 * declared a little below the measured 0.93 (synthetic, L2) and 0.95 (sift5k).
 */
@ExtendWith(HnswSq8CodesContractTest.CodeDistances.class)
@AddLifecycleHook(value = HnswSq8CodesContractTest.CodeDistances.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class HnswSq8CodesContractTest extends HnswIndexContractTest {
  @Override
  protected Map<String, Object> configuration() {
    return Map.of("quantization", "sq8", "keepVectors", false);
  }

  @Override
  protected double declaredRecall() {
    return 0.9;
  }

  @Override
  protected double sift5kRecall() {
    return 0.93;
  }

  /**
   * Skips the kit's checks that hold only when the index returns distances to the original vectors:
   * the distance formula within 1e-3 (results and filters on more than
   * {@link io.vers.spi.storage.ScalarQuantizer#TRAIN_AT} vectors), and target recall and the recall
   * monitor, which the index measures against its own (decoded) vectors while the kit measures against
   * the originals.
   */
  static final class CodeDistances implements ExecutionCondition, SkipExecutionHook {
    static final Set<String> ORIGINAL_DISTANCES = Set.of("resultsAreSortedUniqueBoundedAndTrue",
        "filterIsHonouredAndFillsK", "targetRecallMeetsItsRecall", "recallMonitorEstimatesTheRecallOfLiveQueries");
    private static final String REASON = "sq8 without kept vectors returns distances to the decoded vectors";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Optional<Method> method = context.getTestMethod();
      return method.isPresent() && ORIGINAL_DISTANCES.contains(method.get().getName())
          ? ConditionEvaluationResult.disabled(REASON)
          : ConditionEvaluationResult.enabled("checks the codes' own behaviour");
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      Optional<AnnotatedElement> element = context.optionalElement();
      return element.isPresent() && element.get() instanceof Method m && ORIGINAL_DISTANCES.contains(m.getName())
          ? SkipResult.skip(REASON)
          : SkipResult.doNotSkip();
    }
  }
}
