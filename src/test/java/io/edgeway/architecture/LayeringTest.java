package io.edgeway.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md: spi ← core ← features. Features plug into the core only
 * through META-INF/services, so no core class may depend on a feature class, and the SPI (its own
 * artifact) depends on nothing of the gateway.
 */
class LayeringTest {
  private static final String[] CORE = {
      "io.edgeway.admin..", "io.edgeway.cli..", "io.edgeway.config..", "io.edgeway.demo..", "io.edgeway.exchange..",
      "io.edgeway.filter..", "io.edgeway.http..", "io.edgeway.plugin..", "io.edgeway.proxy..", "io.edgeway.routing..",
      "io.edgeway.runtime..", "io.edgeway.server..", "io.edgeway.tls.."};
  private static final String[] FEATURES = {
      "io.edgeway.auth..", "io.edgeway.cache..", "io.edgeway.cors..", "io.edgeway.events..", "io.edgeway.headers..",
      "io.edgeway.metrics..", "io.edgeway.mtls..", "io.edgeway.ratelimit..", "io.edgeway.resilience..",
      "io.edgeway.tracing.."};

  private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.edgeway");

  @Test
  void theCoreDependsOnNoFeature() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .because("features plug in through META-INF/services; adding or removing one touches no core file")
        .check(MAIN_CLASSES);
  }

  @Test
  void theSpiDependsOnNothingOfTheGateway() {
    noClasses().that().resideInAPackage("io.edgeway.spi..")
        .should().dependOnClassesThat(resideInAPackage("io.edgeway..").and(not(resideInAPackage("io.edgeway.spi.."))))
        .because("plugin authors compile against the SPI alone (its own artifact, edgeway-spi)")
        .check(MAIN_CLASSES);
  }
}
