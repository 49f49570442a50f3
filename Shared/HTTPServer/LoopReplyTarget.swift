import MusterHTTP

extension LoopContext: LoopReplyTarget {
    /// A ``LoopReply``'s answer (see ``LoopReply/send(_:)``). The reply holds this
    /// loop's own connection and slot (`HandlerTask.start` made it), so they are
    /// taken back as such without a checked cast.
    package func send(_ response: consuming HTTPResponse, connection: AnyObject, slot: AnyObject) {
        let connection = unsafeDowncast(connection, to: Connection.self)
        let slot = unsafeDowncast(slot, to: ResponseSlot.self)
        guard connection.closing != .now else { return }
        var stream: AsyncThrowingStream<[UInt8], any Error>?
        if case .stream(let body) = response.body, ResponseFraming.sendsBody(method: slot.method, status: response.status) { stream = body.chunks }
        ResponseQueue.complete(slot, with: response)
        markDirty(connection)
        guard let stream else { return }
        let (loop, logger) = (self.loop, self.logger)
        let ticket = ResponseTicket(connection: connection.id, sequence: slot.sequence)
        Task.immediate(executorPreference: loop) { await HandlerTask.pump(stream, ticket: ticket, loop: loop, logger: logger) }
    }
}
