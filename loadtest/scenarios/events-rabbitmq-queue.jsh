// For the events-rabbitmq scenario: -R-Daction=bind declares the exchanges and a durable queue
// bound to both with '#'; -R-Daction=count prints how many messages the queue holds.
// RABBITMQ_URI in the environment; the AMQP client comes from the gateway jar (--class-path).
import com.rabbitmq.client.*;
var factory = new ConnectionFactory();
factory.setUri(System.getenv("RABBITMQ_URI"));
try (var connection = factory.newConnection("loadtest"); var channel = connection.createChannel()) {
  if ("bind".equals(System.getProperty("action"))) {
    for (var exchange : java.util.List.of("edgeway.requests", "edgeway.state")) {
      channel.exchangeDeclare(exchange, "topic", true);
    }
    channel.queueDeclare("edgeway.loadtest", true, false, false, null);
    channel.queueBind("edgeway.loadtest", "edgeway.requests", "#");
    channel.queueBind("edgeway.loadtest", "edgeway.state", "#");
  } else {
    System.out.println(channel.queueDeclarePassive("edgeway.loadtest").getMessageCount());
  }
}
/exit
