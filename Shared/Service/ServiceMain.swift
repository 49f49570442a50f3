import Foundation
import MusterAuth
import MusterContracts
import MusterCore
import MusterDatabase
import MusterHTTP
import MusterHTTPClient
import MusterHTTPServer

/// The one `main` of every service: `serve` (default), `migrate`, `help` and the
/// service's own admin subcommands.
///
/// ```swift
/// // Services/Records/Main/main.swift
/// import RecordsService
/// await ServiceMain.run(RecordsApp())
/// ```
public enum ServiceMain {
    public static func run<Definition: ServiceDefinition>(_ definition: Definition,
                                                          arguments: [String] = CommandLine.arguments) async -> Never {
        let service = Definition.name
        let logger = Logger(service: service.rawValue)
        let command = arguments.dropFirst().first ?? "serve"
        let rest = Array(arguments.dropFirst(2))
        do {
            switch command {
            case "serve":
                try await serve(definition, logger: logger)
                exit(0)
            case "migrate":
                let context = try await makeContext(definition, logger: logger)
                let failed = try await migrate(context)
                await context.database?.shutdown()
                exit(failed ? 1 : 0)
            case "help", "--help", "-h":
                printUsage(definition)
                exit(0)
            default:
                guard let custom = definition.commands.first(where: { $0.name == command }) else {
                    FileHandle.standardError.write(Data("\(service.rawValue): unknown command '\(command)'\n".utf8))
                    printUsage(definition)
                    exit(2)
                }
                let context = try await makeContext(definition, logger: logger)
                let code = try await custom.run(try await Definition.Runtime(context: context), rest)
                await context.database?.shutdown()
                exit(code)
            }
        } catch {
            logger.error("\(command) failed: \(error)")
            FileHandle.standardError.write(Data("\(service.rawValue) \(command): \(error)\n".utf8))
            exit(1)
        }
    }

    private static func printUsage<Definition: ServiceDefinition>(_ definition: Definition) {
        var text = "usage: \(Definition.name.rawValue) [command]\n\n"
        text += "  serve      serve HTTP (default); migrates first\n"
        if definition.migrationsFolder != nil { text += "  migrate    apply pending migrations, then exit\n" }
        for command in definition.commands {
            text += "  \(command.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(command.summary)\n"
        }
        text += "  help       this text\n\nConfiguration comes from MUSTER_* environment variables (README.md).\n"
        print(text, terminator: "")
    }

    static func makeContext<Definition: ServiceDefinition>(_ definition: Definition, logger: Logger) async throws -> ServiceContext {
        let service = Definition.name
        let configuration = try ServiceConfiguration(service: service, defaultHost: definition.defaultHost,
                                                     requiresDatabase: definition.migrationsFolder != nil)
        let metrics = MetricsRegistry()
        let credentials = try ServiceCredentials.load(service: service, environment: configuration.environment)
        var database: DatabasePool?
        var migrator: Migrator?
        if let url = configuration.databaseURL {
            let pool = try DatabasePool(configuration: .init(
                url: url, maxConnections: configuration.poolSize,
                acquireTimeout: .milliseconds(configuration.acquireTimeoutMilliseconds),
                usesPreparedStatements: configuration.usesPreparedStatements), logger: logger)
            pool.registerMetrics(in: metrics)
            database = pool
            if let folder = definition.migrationsFolder {
                migrator = Migrator(pool: pool, migrations: try MigrationSet(folder: folder), logger: logger,
                                    workers: configuration.migrationWorkers)
            }
        }
        let client = HTTPClient(configuration: .init(
            connectTimeout: .milliseconds(configuration.httpClientConnectTimeoutMilliseconds),
            timeout: .milliseconds(configuration.httpClientTimeoutMilliseconds)), logger: logger)
        let peers = PeerClient(directory: configuration.peers, client: client, signer: credentials.signer)
        let tokens = TokenVerifier(issuer: AccessTokenConventions.issuer, audience: AccessTokenConventions.audience,
                                   keySource: IdentityKeySource(directory: configuration.peers, client: client))
        return ServiceContext(configuration: configuration, logger: logger, metrics: metrics, database: database,
                              migrator: migrator, httpClient: client, peers: peers, credentials: credentials, tokens: tokens)
    }

    /// Applies pending migrations; returns whether some agency schema failed.
    static func migrate(_ context: ServiceContext) async throws -> Bool {
        guard let migrator = context.migrator else { return false }
        let report = try await migrator.migrate()
        for failure in report.failures {
            context.logger.error("agency schema failed to migrate", ["schema": failure.schema.rawValue, "error": failure.reason])
        }
        context.logger.info("migrations checked", ["migrated": String(report.agencySchemasMigrated), "failed": String(report.failures.count)])
        return !report.failures.isEmpty
    }

    private static func serve<Definition: ServiceDefinition>(_ definition: Definition, logger: Logger) async throws {
        let context = try await makeContext(definition, logger: logger)
        _ = try await migrate(context)
        let runtime = try await Definition.Runtime(context: context)

        let configuration = context.configuration
        var standard = HTTPServer.Configuration(host: configuration.host, port: configuration.port)
        standard.shutdownGrace = .milliseconds(configuration.shutdownGraceMilliseconds)
        if let loops = configuration.eventLoops { standard.eventLoops = loops }
        let admin = try definition.adminListener(standard, runtime: runtime)

        let router = Router()
        for middleware in try definition.middleware(runtime: runtime) { router.use(middleware) }
        let checks = definition.readinessChecks(runtime: runtime)
        StandardRoutes.registerHealth(on: router, context: context)
        let adminRouter = admin.map { _ in Router() }
        if let adminRouter {
            StandardRoutes.registerHealth(on: adminRouter, context: context)
            StandardRoutes.registerOperations(on: adminRouter, context: context, checks: checks)
        } else {
            StandardRoutes.registerOperations(on: router, context: context, checks: checks)
        }
        if definition.answersProvisioning, let migrator = context.migrator {
            ProvisioningRoutes.register(on: router, context: context, migrator: migrator) { agency, request in
                try await definition.agencyProvisioned(agency, request, runtime: runtime)
            }
        }
        try await definition.registerRoutes(on: router, runtime: runtime)
        RouteListing.register(on: router, context: context)

        let responder = router.build()
        var listeners = try definition.listeners(standard, runtime: runtime).map { ($0, responder, false) }
        if let admin, let adminRouter { listeners.append((admin, adminRouter.build(), true)) }
        var servers: [HTTPServer] = []
        for (listener, responder, isAdmin) in listeners {
            let server = HTTPServer(configuration: listener, responder: responder, logger: logger)
            try server.start()
            servers.append(server)
            logger.info("listening", ["host": listener.host, "port": String(server.localPort), "tls": String(listener.tls != nil),
                                      "admin": String(isAdmin), "version": configuration.version])
        }
        servers.first?.registerMetrics(in: context.metrics)

        var tasks = definition.backgroundTasks(runtime: runtime)
        if definition.pollsRevocations {
            let interval = try configuration.environment.int(RevocationPoller.intervalVariable, default: 15_000)
            let poller = RevocationPoller(peers: context.peers, tokens: context.tokens, interval: .milliseconds(interval), logger: logger)
            tasks.append(BackgroundTask(name: "revocations") { await poller.run() })
        }
        let background = Task { [tasks] in
            await withTaskGroup(of: Void.self) { group in
                for task in tasks {
                    group.addTask { await task.run() }
                }
            }
        }
        let signal = await ShutdownSignal.wait()
        logger.info("shutting down", ["signal": signal])
        await withTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { await server.shutdown() } }
        }
        background.cancel()
        await background.value
        await context.httpClient.shutdown()
        await context.database?.shutdown()
        logger.info("stopped")
    }
}
