# syntax=docker/dockerfile:1
# Edgeway gateway image.
#   docker build -t edgeway .
#   docker run --rm -p 8080:8080 \
#     -v "$PWD/config:/opt/edgeway/config:ro" -v "$PWD/plugins:/opt/edgeway/plugins:ro" edgeway
# The admin API (9901) listens on the container's loopback unless EDGEWAY_ADMIN_HOST is set; off
# loopback it requires EDGEWAY_ADMIN_TOKEN (a bearer token; /health and /ready stay open for
# probes), and the gateway refuses to start without one:
#   docker run --rm -p 8080:8080 -p 127.0.0.1:9901:9901 \
#     -e EDGEWAY_ADMIN_HOST=0.0.0.0 -e EDGEWAY_ADMIN_TOKEN="$(openssl rand -hex 32)" edgeway
# The image's config (config/container.yaml) reads EDGEWAY_HOST (0.0.0.0 below),
# EDGEWAY_ADMIN_HOST and EDGEWAY_ADMIN_TOKEN; it has no routes and does not start the demo echo
# upstream (see that file).

# ---- build ------------------------------------------------------------------------------------
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# The reactor's root, the SPI and the gateway module (whose sources are src/ at the top); the test
# kit and the plugin examples are not part of the image. (No dependency:go-offline layer: it cannot
# resolve the reactor's own edgeway-spi before it is built.)
COPY pom.xml ./
COPY spi spi
COPY gateway gateway
COPY src src
# config/edgeway.yaml is embedded in the jar as the default configuration.
COPY config config
RUN mvn -B -q -DskipTests -pl gateway -am package

# ---- runtime ----------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
# A fixed numeric uid/gid, so that Kubernetes' runAsNonRoot can verify it and mounted files can
# be given to it.
RUN groupadd --system --gid 10001 edgeway \
 && useradd --system --uid 10001 --gid edgeway --home-dir /opt/edgeway --no-create-home \
      --shell /usr/sbin/nologin edgeway \
 && mkdir -p /opt/edgeway/config /opt/edgeway/plugins /opt/edgeway/data \
 && chown edgeway:edgeway /opt/edgeway/data
WORKDIR /opt/edgeway
COPY --from=build /src/target/edgeway.jar /opt/edgeway/edgeway.jar
# An application class-data archive from a training run on this image's own JVM (an archive is
# only valid for the JVM and jar that wrote it): the embedded default configuration (an empty
# working directory, so no config/), one request through its demo route, then exit. Starts map the
# gateway's classes from it: on one core the first proxied response comes in about half the time
# (docs/performance.md, "Start-up"). A JVM that cannot use it (other JVM options it rejects) says
# so with -Xlog:cds and starts without it.
RUN mkdir /tmp/training && cd /tmp/training \
 && java -XX:ArchiveClassesAtExit=/opt/edgeway/edgeway.jsa -Xlog:cds=error -jar /opt/edgeway/edgeway.jar training-run \
 && cd / && rm -rf /tmp/training
# The container configuration: no demo echo upstream (behind a listener on all interfaces it
# would answer anyone), no routes; mount your own over /opt/edgeway/config.
COPY --from=build /src/config/container.yaml /opt/edgeway/config/edgeway.yaml
# The public listener is on all interfaces; the admin API stays on loopback unless the operator
# sets EDGEWAY_ADMIN_HOST and EDGEWAY_ADMIN_TOKEN (see above).
ENV EDGEWAY_HOST=0.0.0.0
# config/ (edgeway.yaml) and plugins/ (filter jars) are read-only inputs; data/ is the one place
# the gateway may write (e.g. the event journal while Kafka is unreachable).
VOLUME ["/opt/edgeway/config", "/opt/edgeway/plugins", "/opt/edgeway/data"]
USER 10001:10001
# 8080: gateway traffic, 9901: admin API (health, readiness, metrics).
EXPOSE 8080 9901
# No JVM flags here: the JVM's container defaults apply (heap: a quarter of the memory limit). Set
# JAVA_TOOL_OPTIONS, e.g. -Xms64m -Xmx256m in a 512 MiB container (docs/performance.md).
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/edgeway/edgeway.jsa", "-jar", "/opt/edgeway/edgeway.jar"]
CMD ["--config", "/opt/edgeway/config/edgeway.yaml"]
