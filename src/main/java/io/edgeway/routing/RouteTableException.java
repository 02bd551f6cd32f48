package io.edgeway.routing;

import java.util.List;
import java.util.stream.Collectors;

/** The routes given to {@link RouteTable.Builder} have problems; carries all of them. */
public final class RouteTableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<RouteProblem> problems;

  RouteTableException(List<RouteProblem> problems) {
    super(problems.size() + " route problem(s):\n"
        + problems.stream().map(RouteProblem::describe).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in route order. */
  public List<RouteProblem> problems() {
    return problems;
  }
}
