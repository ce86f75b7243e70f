package io.freshet;

import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependency;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependencyTarget;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package boundaries of DESIGN.md ("Modules and the direction of dependencies"), checked on the compiled main
 * classes of every module (all are on this module's test classpath). Maven's module graph already keeps a module
 * from importing one it does not depend on; these rules also hold within a module and against a new pom dependency.
 */
@AnalyzeClasses(packages = "io.freshet",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

  /**
   * The DStream face of the Kafka connector: module streaming-kafka, under the DStream API's package, as Spark's
   * spark-streaming-kafka-0-10 module.
   */
  private static final String KAFKA010 = "io.freshet.spark.streaming.kafka010..";

  private static final String[] CONNECTORS = {"io.freshet.sources..", "io.freshet.sinks..", KAFKA010};

  /**
   * The runtime: the exec module (its public API types are in io.freshet.streaming, the base class of user-defined
   * functions in io.freshet.functions, the DStream API in io.freshet.spark, mirroring org.apache.spark, and the
   * few Hadoop classes it names in io.freshet.hadoop).
   */
  private static final String[] RUNTIME = {"io.freshet.exec..", "io.freshet.streaming..", "io.freshet.functions..",
      "io.freshet.spark..", "io.freshet.hadoop.."};

  /**
   * What connectors may use of the runtime: "connectors see only the SPI, batch, types and format packages", and
   * io.freshet.streaming, the public types the SPI's own signatures use (FreshetException, OutputMode) with Row
   * and Json.
   */
  private static final String[] CONNECTOR_SEES = {
      "io.freshet.exec.connector..", // the SPI (Source, Offset, Sink, providers, options)
      "io.freshet.exec.batch..",
      "io.freshet.exec.types..",
      "io.freshet.exec.format..",
      "io.freshet.streaming..",
  };

  @ArchTest
  static final ArchRule connectorsUseOnlyTheSpiBatchTypesAndFormat = classes()
      .that().resideInAnyPackage(CONNECTORS)
      .should(onlyHaveDependenciesWhere(dependencyTarget(resideOutsideOfPackage("io.freshet.."))
          .or(dependencyTarget(resideInAnyPackage(CONNECTOR_SEES)))
          .or(dependencyTarget(resideInAnyPackage(CONNECTORS)))
          // The memory source and sink are views of the MemoryStream and MemoryTable a program holds.
          .or(dependency(resideInAnyPackage("io.freshet.sources.memory..", "io.freshet.sinks.memory.."),
              resideInAnyPackage("io.freshet.exec.memory..")))
          // The Kafka DStream extends the DStream API, as Spark's spark-streaming-kafka-0-10 extends Spark Streaming.
          .or(dependency(resideInAnyPackage(KAFKA010), resideInAnyPackage("io.freshet.spark..")))));

  @ArchTest
  static final ArchRule runtimeImportsNoPlannerSqlOrShell = noClasses()
      .that().resideInAnyPackage(RUNTIME)
      .should().dependOnClassesThat().resideInAnyPackage("io.freshet.planner..", "io.freshet.sql..",
          "io.freshet.shell..", "io.freshet.examples..", "io.freshet.bench..");

  @ArchTest
  static final ArchRule runtimeImportsNoConnector = noClasses()
      .that().resideInAnyPackage(RUNTIME).and().resideOutsideOfPackage(KAFKA010)
      .should().dependOnClassesThat().resideInAnyPackage("io.freshet.sources..", "io.freshet.sinks..");

  @ArchTest
  static final ArchRule plannerImportsNoSqlShellOrConnector = noClasses()
      .that().resideInAPackage("io.freshet.planner..")
      .should().dependOnClassesThat().resideInAnyPackage("io.freshet.sql..", "io.freshet.shell..",
          "io.freshet.examples..", "io.freshet.bench..", "io.freshet.sources..", "io.freshet.sinks..");

  /** The JDBC driver and server sit on the sql module's public API; nothing below them knows them. */
  @ArchTest
  static final ArchRule onlyTheShellImportsJdbc = noClasses()
      .that().resideOutsideOfPackages("io.freshet.jdbc..", "io.freshet.shell..")
      .should().dependOnClassesThat().resideInAPackage("io.freshet.jdbc..");

  /** The web UI sits on the sql module's public API; only the shell starts it. */
  @ArchTest
  static final ArchRule onlyTheShellImportsTheUi = noClasses()
      .that().resideOutsideOfPackages("io.freshet.ui..", "io.freshet.shell..")
      .should().dependOnClassesThat().resideInAPackage("io.freshet.ui..");

  @ArchTest
  static final ArchRule runtimeAndConnectorsKnowNoCalcite = noClasses()
      .that().resideInAnyPackage(RUNTIME).or().resideInAnyPackage(CONNECTORS)
      .should().dependOnClassesThat().resideInAPackage("org.apache.calcite..");

  /** Leaves out test jars (DoNotIncludeTests leaves out test-classes directories). */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }
}
