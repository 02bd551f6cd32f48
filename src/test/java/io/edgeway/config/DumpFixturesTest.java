package io.edgeway.config;
import org.junit.jupiter.api.Test;
class DumpFixturesTest { @Test void dump() { InvalidConfigTest.dump(); } }
