import { Route, Routes } from 'react-router';
import { PERMISSIONS } from './auth/permissions.js';
import { RequirePermission } from './layout/RequirePermission.js';
import { SignedInLayout } from './layout/SignedInLayout.js';
import { AccountPage } from './pages/account/AccountPage.js';
import { AuditPage } from './pages/audit/AuditPage.js';
import { HomePage } from './pages/HomePage.js';
import { LoginPage } from './pages/LoginPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
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
        <Route element={<RequirePermission permission={PERMISSIONS.manageUsers} />}>
          <Route path="admin/users" element={<UsersPage />} />
          <Route path="admin/users/new" element={<CreateUserPage />} />
          <Route path="admin/users/:id" element={<EditUserPage />} />
        </Route>
        <Route element={<RequirePermission permission={PERMISSIONS.readAudit} />}>
          <Route path="audit" element={<AuditPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
