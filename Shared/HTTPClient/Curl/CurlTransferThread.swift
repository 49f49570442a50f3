import CCurl
import Foundation

/// The dedicated thread that runs every transfer of one client on one libcurl
/// multi handle: it starts, pauses, resumes and cancels transfers as the inbox
/// says, drives them with `curl_multi_perform`, and sleeps in `curl_multi_poll`
/// until a socket, a timer or a wake-up needs it.
///
/// All libcurl calls of the client happen here, so none blocks the cooperative
/// pool; the multi handle's connection cache gives keep-alive reuse.
final class CurlTransferThread {
    private let inbox: CurlInbox
    private var multi: UnsafeMutableRawPointer { inbox.multi.raw }
    private var transfers: [UInt64: CurlTransfer] = [:]
    private var transfersByHandle: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Handles of finished transfers, reset for the next ones.
    private var idleHandles: [CurlEasyHandle] = []
    private let maxIdleHandles = 64

    private init(inbox: CurlInbox) {
        self.inbox = inbox
    }

    static func start(inbox: CurlInbox) {
        let thread = Thread { CurlTransferThread(inbox: inbox).run() }
        thread.name = "muster-http-client"
        thread.start()
    }

    private func run() {
        while true {
            let (commands, stop) = inbox.drain()
            for command in commands { handle(command, stopping: stop) }
            if stop { break }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            completeFinishedTransfers()
            // Waits for socket activity, libcurl's next timeout, or a wake-up from the inbox.
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for transfer in transfers.values {
            let reached = transfer.requestStarted
            remove(transfer)
            transfer.abort(HTTPClientError.shutdown(mayHaveReachedServer: reached))
        }
        curl_multi_cleanup(multi)
        inbox.markExited()
    }

    private func handle(_ command: CurlInbox.Command, stopping: Bool) {
        switch command {
        case .start(let id, let job, let delivery):
            guard !stopping else { return delivery.fail(HTTPClientError.shutdown(mayHaveReachedServer: false)) }
            let transfer = CurlTransfer(id: id, easy: idleHandles.popLast() ?? CurlEasyHandle(), job: job, delivery: delivery)
            guard curl_multi_add_handle(multi, transfer.easy.raw) == CURLM_OK else {
                return delivery.fail(HTTPClientError(.connectionFailed, mayHaveReachedServer: false,
                                                     message: "libcurl refused the transfer"))
            }
            transfers[id] = transfer
            transfersByHandle[transfer.easy.raw] = transfer
        case .cancel(let id):
            guard let transfer = transfers[id] else { return }
            remove(transfer)
            transfer.abort(CancellationError())
            recycle(transfer)
        case .resume(let id):
            guard let transfer = transfers[id] else { return }
            _ = curl_easy_pause(transfer.easy.raw, CURLPAUSE_CONT)
        }
    }

    private func completeFinishedTransfers() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            // The message is invalid once its handle is removed: read it first.
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  let transfer = transfersByHandle[handle] else { continue }
            let code = message.pointee.data.result
            remove(transfer)
            transfer.complete(code)
            recycle(transfer)
        }
    }

    private func remove(_ transfer: CurlTransfer) {
        _ = curl_multi_remove_handle(multi, transfer.easy.raw)
        transfers[transfer.id] = nil
        transfersByHandle[transfer.easy.raw] = nil
    }

    /// Keeps the finished transfer's handle for reuse, once its outcome has been read from it.
    private func recycle(_ transfer: CurlTransfer) {
        guard idleHandles.count < maxIdleHandles else { return }
        transfer.easy.reset()
        idleHandles.append(transfer.easy)
    }
}
