package io.vers.ivfflat;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.testkit.IndexContract;
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
 * The contract kit on ivfflat with quantization=sq8 and keepVectors=false, but for the four checks that
 * compare returned distances or recall with the original float vectors, which this configuration no
 * longer holds: its distances are, by design, the metric's distances to the decoded vectors, and its
 * exact search and recall calibration are over the decoded vectors. {@link IvfFlatQuantizationTest}
 * checks those four against the decoded vectors instead.
 */
@ExtendWith(IvfFlatSq8CodesOnlyContractTest.CodeDistances.class)
@AddLifecycleHook(value = IvfFlatSq8CodesOnlyContractTest.CodeDistances.class,
    propagateTo = PropagationMode.ALL_DESCENDANTS)
class IvfFlatSq8CodesOnlyContractTest extends IndexContract {
  /** Contract checks that expect distances or recall measured on the original floats. */
  static final Set<String> AGAINST_FLOATS = Set.of(
      "resultsAreSortedUniqueBoundedAndTrue", // distance == formula on the original vector, within 1e-3
      "filterIsHonouredAndFillsK", // same check
      "targetRecallMeetsItsRecall", // calibrated on decoded vectors, checked against the original ones
      "recallMonitorEstimatesTheRecallOfLiveQueries"); // monitor checks against searchExact (decoded)

  @Override
  protected String algorithm() {
    return IvfFlatIndex.NAME;
  }

  @Override
  protected Map<String, Object> configuration() {
    return Map.of("quantization", "sq8", "keepVectors", false);
  }

  /** Every list probed: an exact scan. */
  @Override
  protected SearchParams exhaustive(Index index) {
    return SearchParams.builder().nprobe(Math.max(1, ((IvfFlatIndex) index).nlist())).build();
  }

  @Override
  protected double declaredRecall() {
    return 0.85;
  }

  @Override
  protected double sift5kRecall() {
    return 0.9;
  }

  /** Leaves out {@link #AGAINST_FLOATS}, for JUnit tests and jqwik properties alike. */
  static final class CodeDistances implements ExecutionCondition, SkipExecutionHook {
    private static final String REASON = "sq8 without floats returns code distances: checked in IvfFlatQuantizationTest";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getTestMethod().map(Method::getName).filter(AGAINST_FLOATS::contains).isPresent()
          ? ConditionEvaluationResult.disabled(REASON)
          : ConditionEvaluationResult.enabled("kept");
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      Optional<String> name = context.optionalElement()
          .filter(Method.class::isInstance).map(e -> ((Method) e).getName());
      return name.filter(AGAINST_FLOATS::contains).isPresent() ? SkipResult.skip(REASON) : SkipResult.doNotSkip();
    }
  }
}
