import { Route, Routes } from 'react-router';
import { PERMISSIONS } from './auth/permissions.js';
import { RequirePermission } from './layout/RequirePermission.js';
import { SignedInLayout } from './layout/SignedInLayout.js';
import { AccountPage } from './pages/account/AccountPage.js';
import { AuditPage } from './pages/audit/AuditPage.js';
import { BedBoardPage } from './pages/beds/BedBoardPage.js';
import { CaseloadPage } from './pages/cases/CaseloadPage.js';
import { CaseWorkspacePage } from './pages/cases/CaseWorkspacePage.js';
import { ClientChartPage } from './pages/clients/ClientChartPage.js';
import { ClientSearchPage } from './pages/clients/ClientSearchPage.js';
import { RegisterClientPage } from './pages/clients/RegisterClientPage.js';
import { HomePage } from './pages/HomePage.js';
import { LoginPage } from './pages/LoginPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { ProviderPage } from './pages/providers/ProviderPage.js';
import { ProvidersPage } from './pages/providers/ProvidersPage.js';
import { CalendarPage } from './pages/scheduling/CalendarPage.js';
import { FrontDeskPage } from './pages/scheduling/FrontDeskPage.js';
import { ReminderPolicyPage } from './pages/scheduling/ReminderPolicyPage.js';
import { WaitlistPage } from './pages/scheduling/WaitlistPage.js';
import { CreateUserPage } from './pages/users/CreateUserPage.js';
import { EditUserPage } from './pages/users/EditUserPage.js';
import { UsersPage } from './pages/users/UsersPage.js';

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<SignedInLayout />}>
        <Route index element={<HomePage />} />
        <Route path="account" element={<AccountPage />} />
        <Route element={<RequirePermission permission={PERMISSIONS.readClients} />}>
          <Route path="clients" element={<ClientSearchPage />} />
          <Route path="clients/:id" element={<ClientChartPage />} />
          <Route element={<RequirePermission permission={PERMISSIONS.registerClients} />}>
            <Route path="clients/new" element={<RegisterClientPage />} />
          </Route>
        </Route>
        <Route element={<RequirePermission permission={PERMISSIONS.readCases} />}>
          <Route path="cases" element={<CaseloadPage />} />
          <Route path="cases/:id" element={<CaseWorkspacePage />} />
        </Route>
        <Route element={<RequirePermission permission={PERMISSIONS.readProviders} />}>
          <Route path="providers" element={<ProvidersPage />} />
          <Route path="providers/:id" element={<ProviderPage />} />
        </Route>
        <Route element={<RequirePermission permission={PERMISSIONS.readBeds} />}>
          <Route path="beds" element={<BedBoardPage />} />
        </Route>
        <Route element={<RequirePermission permission={PERMISSIONS.readAppointments} />}>
          <Route path="schedule" element={<CalendarPage />} />
          <Route path="front-desk" element={<FrontDeskPage />} />
          <Route path="waitlist" element={<WaitlistPage />} />
        </Route>
        <Route element={<RequirePermission permission={PERMISSIONS.manageUsers} />}>
          <Route path="admin/users" element={<UsersPage />} />
          <Route path="admin/users/new" element={<CreateUserPage />} />
          <Route path="admin/users/:id" element={<EditUserPage />} />
        </Route>
        <Route element={<RequirePermission permission={PERMISSIONS.manageReminderPolicy} />}>
          <Route path="admin/reminders" element={<ReminderPolicyPage />} />
        </Route>
        <Route element={<RequirePermission permission={PERMISSIONS.readAudit} />}>
          <Route path="audit" element={<AuditPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
